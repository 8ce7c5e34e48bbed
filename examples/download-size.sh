#!/usr/bin/env bash
# What a library user downloads: the runtime jars of a project that depends on tf-mnist plainly
# (tensorflow-core-platform: every platform's natives), against examples/pom.xml (this platform's
# natives only). Run after `mvn install` in the repository root; prints jars and MB for both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.tfmnist.examples</groupId>
  <artifactId>all-platforms</artifactId>
  <version>0.1.0</version>
  <dependencies>
    <dependency>
      <groupId>org.tfmnist</groupId>
      <artifactId>tf-mnist</artifactId>
      <version>0.1.0</version>
    </dependency>
  </dependencies>
</project>
POM
size() { # $1: a pom; prints "N jars, M MB (K MB of them TensorFlow's)"
  local cp="$tmp/cp.txt"
  mvn -q -B -f "$1" dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp" >/dev/null
  tr : '\n' < "$cp" | xargs du -b | awk '
    { n++; t += $1 } /org\/tensorflow\// { tf += $1 }
    END { printf "%d jars, %.0f MB (%.0f MB of them TensorFlow'"'"'s)\n", n, t / 1e6, tf / 1e6 }'
}
echo "tf-mnist as a plain dependency (all platforms): $(size "$tmp/pom.xml")"
echo "examples/pom.xml (one platform's natives):      $(size "$here/pom.xml")"
