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


def ndcg_at(ranking, relevant, n=10):
    dcg = sum(1 / np.log2(i + 2) for i, c in enumerate(ranking[:n]) if c in relevant)
    ideal = sum(1 / np.log2(i + 2) for i in range(min(n, len(relevant))))
    return dcg / ideal if ideal > 0 else 0.0


def ranking(path, store):
    """Popularity and item-to-item co-occurrence (cosine) on a ranking target's own test rows:
    recall@10 and NDCG@10 of the items bought in the label window, each row's recent items left
    out of its ranking as the served ranking leaves them out. Co-occurrence reads every customer's
    purchases up to the end of the cutoff day from the store (nothing after it)."""
    import sqlite3

    from scipy import sparse

    d = json.loads(Path(path).read_text())
    items, ids = d["items"], d["ids"]
    k, n = len(items), len(ids)
    y = np.asarray(d["y"], dtype=np.float32).reshape(n, k)
    split = np.asarray(d["split"])
    con = sqlite3.connect(store)
    pairs = set(con.execute("SELECT customer_id, product_code FROM transaction_lines WHERE occurred_at <= ?", (d["cutoff"] + " 23:59:59",)))
    customers = {c: i for i, c in enumerate(sorted({c for c, _ in pairs}))}
    products = {p: i for i, p in enumerate(sorted({p for _, p in pairs}))}
    b = sparse.csr_matrix(
        (np.ones(len(pairs)), ([customers[c] for c, _ in pairs], [products[p] for _, p in pairs])),
        shape=(len(customers), len(products)),
    )
    buyers = np.asarray(b.sum(axis=0)).ravel()
    vocab = np.array([products.get(code, -1) for code in items])
    known = vocab >= 0
    co = (b.T @ b[:, vocab[known]]).toarray()
    sim = np.zeros((len(products), k))
    sim[:, known] = co / np.sqrt(np.outer(buyers, buyers[vocab[known]]))
    popularity = y[split == 0].mean(axis=0)
    out = {"cooccurrence": ([], []), "popularity": ([], [])}
    for r in np.flatnonzero(split == TEST):
        bought = {items[j] for j in np.flatnonzero(y[r])}
        recent = set(d["recent"][r])
        u = customers.get(ids[r])
        cs = np.asarray((b[u] @ sim)).ravel() if u is not None else np.zeros(k)
        for name, scores in (("cooccurrence", cs), ("popularity", popularity)):
            # Highest first, ties in output order; recent items left out.
            order = sorted(range(k), key=lambda j: (-scores[j], j))
            ranked = [items[j] for j in order if items[j] not in recent][:10]
            out[name][0].append(len([c for c in ranked if c in bought]) / len(bought))
            out[name][1].append(ndcg_at(ranked, bought))
    result = {}
    for name, (recall, ndcg) in out.items():
        result[f"{name}_recall_at_10"] = float(np.mean(recall))
        result[f"{name}_ndcg_at_10"] = float(np.mean(ndcg))
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data")
    p.add_argument("--spec")
    p.add_argument("--out")
    p.add_argument("--fixed-split", help="an exported training set: print the references' test ROC-AUC on its own split")
    p.add_argument("--references", default="hgb")
    p.add_argument("--ranking", help="an exported ranking training set: popularity and co-occurrence on its test rows")
    p.add_argument("--store", help="with --ranking: the SQLite store of the purchases")
    a = p.parse_args()
    if a.ranking:
        ranking(a.ranking, a.store)
        return
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
