"""Posts every picture of a directory to a running `tf-mnist serve`'s :recognize route and scores
the answers against the digit in each file name (`00042-7-white.png`, `00001-2.jpg`: the number
after the first dash), beside `tf-mnist predict --format csv` on the same files when given.

    bin/tf-mnist show canvases --count 3000 --seed 7 --out-dir canvases
    bin/tf-mnist predict --model models/cnn --format csv canvases > predict.csv
    .venv/bin/python python/recognize_check.py --predict-csv predict.csv canvases

Half the pictures go as the raw body, half as a multipart upload.
"""
import argparse
import collections
import concurrent.futures
import csv
import os
import re

import requests


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--url", default="http://127.0.0.1:8501/")
    ap.add_argument("--model", default="cnn")
    ap.add_argument("--predict-csv", help="tf-mnist predict --format csv of the same files")
    a = ap.parse_args()
    files = sorted(f for f in os.listdir(a.dir) if re.match(r"\d+-\d", f))
    cli = {}
    if a.predict_csv:
        cli = {os.path.basename(r["file"]): r["digit"] for r in csv.DictReader(open(a.predict_csv))}
    route = a.url.rstrip("/") + "/v1/models/%s:recognize" % a.model

    def post(item):
        i, f = item
        data = open(os.path.join(a.dir, f), "rb").read()
        if i % 2 == 0:
            r = requests.post(route, data=data, headers={"Content-Type": "application/octet-stream"})
        else:
            r = requests.post(route, files={"file": (f, data)})
        return f, (r.json().get("digit") if r.status_code == 200 else None)

    groups = collections.defaultdict(lambda: [0, 0, 0, 0])  # n, server right, predict right, same
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        for f, digit in ex.map(post, enumerate(files)):
            parts = re.match(r"\d+-(\d)(?:-([a-z]+))?", f)
            label, group = int(parts.group(1)), parts.group(2) or "all"
            cli_digit = int(cli[f]) if cli.get(f) not in (None, "") else None
            for g in {group, "all"}:
                s = groups[g]
                s[0] += 1
                s[1] += digit == label
                s[2] += cli_digit == label
                s[3] += digit == cli_digit
    for g, (n, right, cli_right, same) in sorted(groups.items()):
        line = "%-12s %5d pictures: :recognize %.2f %% right" % (g, n, 100.0 * right / n)
        if cli:
            line += ", tf-mnist predict %.2f %%, same answer %d of %d" % (
                100.0 * cli_right / n, same, n)
        print(line)


if __name__ == "__main__":
    main()
