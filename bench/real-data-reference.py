"""The scikit-learn references of `make real-data`, on the splits our models are measured on.

bench/real-data.js builds each row's training set from the project's configuration (the feature
repository's views joined to the label source) and writes it as JSON: customer ids, feature
names, x, y. This script, for each row of bench/real-data.json, draws the splits (scikit-learn's
train_test_split on the rows in id order, which is the file's order for these data sets: seeds
0..count-1, stratified on y when the row says so, plus the row's extra named splits such as a
published benchmark's), fits each named reference on the other rows of each split and writes the
test ids and the references' test ROC-AUC to --out. Our models are then trained on the very same
split (bench/real-data.js).

References:
  hgb     HistGradientBoostingClassifier, scikit-learn's defaults (random_state = the split's seed)
  logreg  L2 logistic regression, C 1, columns standardized on the training rows, to convergence

    /usr/bin/python3 bench/real-data-reference.py --data DIR --spec bench/real-data.json --out DIR/reference.json

Needs Debian's python3-sklearn (`make real-data` installs it).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def reference(name, seed):
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=seed)
    if name == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=10000))
    raise SystemExit(f"unknown reference {name}")


def load(path):
    d = json.loads(Path(path).read_text())
    ids = d["ids"]
    x = np.asarray(d["x"], dtype=np.float64).reshape(len(ids), len(d["names"]))
    y = np.asarray(d["y"], dtype=np.int64)
    # Rows in id order, numerically when every id is a number: the file's order for these files.
    order = sorted(range(len(ids)), key=(lambda i: int(ids[i])) if all(i.isdigit() for i in ids) else (lambda i: ids[i]))
    return [ids[i] for i in order], x[order], y[order]


TEST = 2  # src/training/dataset.ts


def fixed_split(path, names):
    """The references fitted on a pipeline's own split of an exported training set (train-models
    --export-datasets): every non-test row, scored on the test rows."""
    d = json.loads(Path(path).read_text())
    x = np.asarray(d["x"], dtype=np.float64).reshape(len(d["ids"]), len(d["names"]))
    y = np.asarray(d["y"], dtype=np.int64)
    test = np.asarray(d["split"]) == TEST
    out = {}
    for name in names:
        model = reference(name, 0).fit(x[~test], y[~test])
        out[name] = float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data")
    p.add_argument("--spec")
    p.add_argument("--out")
    p.add_argument("--fixed-split", help="an exported training set: print the references' test ROC-AUC on its own split")
    p.add_argument("--references", default="hgb")
    a = p.parse_args()
    if a.fixed_split:
        fixed_split(a.fixed_split, a.references.split(","))
        return
    spec = json.loads(Path(a.spec).read_text())
    out = {}
    for row in spec["rows"]:
        started = time.time()
        ids, x, y = load(Path(a.data) / f"{row['model']}.json")
        index = np.arange(len(ids))
        s = row["splits"]
        draws = [{"name": f"seed {k}", "seed": k, "test": s["test"], "stratified": s["stratified"]} for k in range(s["count"])]
        extra = [{**e, "extra": True} for e in row.get("extra", [])]
        splits = []
        for draw in draws + extra:
            train, test = train_test_split(
                index, test_size=draw["test"], random_state=draw["seed"], stratify=y if draw["stratified"] else None
            )
            refs = {}
            for name in row["references"]:
                model = reference(name, draw["seed"]).fit(x[train], y[train])
                refs[name] = float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
            splits.append(
                {"name": draw["name"], "seed": draw["seed"], "extra": draw.get("extra", False), "test": [ids[i] for i in sorted(test)], "references": refs}
            )
        out[row["model"]] = splits
        means = {n: np.mean([sp["references"][n] for sp in splits if not sp["extra"]]) for n in row["references"]}
        print(
            f"{row['model']}: {len(ids)} rows, {len(splits)} splits, "
            + ", ".join(f"{n} mean {m:.4f}" for n, m in means.items())
            + f" ({time.time() - started:.0f} s)",
            file=sys.stderr,
        )
    Path(a.out).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
