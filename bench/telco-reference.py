"""The reference model of `make telco`, on many splits: how much of a 20-split mean is the splits.

The target of `make telco` is a mean test ROC-AUC over 20 stratified 80/20 splits above 0.852, what
a plain L2 logistic regression measured on scikit-learn's splits of seeds 0-19. This fits that
logistic regression, to convergence (scikit-learn, C 1, every column standardized, the whole 80%),
on the project's encoding of the file and on two families of splits: the project's
(`stratifiedSplit` of src/training/telco.ts, seeds 0..N-1) and scikit-learn's
(`train_test_split(stratify=y, random_state=seed)`), and prints the mean per block of 20 seeds.

    make telco-reference          # or: /usr/bin/python3 bench/telco-reference.py --splits 200

Needs Debian's python3-sklearn (`make telco-reference` installs it) and a built dist/.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
TEST = 2  # src/training/dataset.ts

# The encoding and the splits come from the project's own code, so both sides see the same columns.
EXPORT = """
const { readFileSync } = await import('node:fs');
const { parseTelco, stratifiedSplit } = await import('./dist/training/telco.js');
const [input, n] = process.argv.slice(1);
const data = parseTelco(readFileSync(input, 'utf8'));
const splits = Array.from({ length: Number(n) }, (_, s) => Array.from(stratifiedSplit(data.y, s, 0.2, 0.1)));
process.stdout.write(JSON.stringify({ d: data.featureNames.length, x: Array.from(data.x), y: Array.from(data.y), splits }));
"""


def test_auc(x, y, train, test):
    scaler = StandardScaler().fit(x[train])
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x[train]), y[train])
    return roc_auc_score(y[test], model.predict_proba(scaler.transform(x[test]))[:, 1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=str(ROOT.parent / "shared/datasets/telco-customer-churn.csv"))
    parser.add_argument("--splits", type=int, default=200)
    args = parser.parse_args()
    exported = json.loads(
        subprocess.run(
            ["node", "--input-type=module", "-e", EXPORT, args.input, str(args.splits)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )
    x = np.array(exported["x"], dtype=float).reshape(-1, exported["d"])
    y = np.array(exported["y"], dtype=int)
    rows = np.arange(len(y))
    ours, theirs = [], []
    for seed, split in enumerate(exported["splits"]):
        split = np.array(split)
        # The project trains on train + validation minus the early-stopping rows; the reference
        # fits on everything outside the test rows.
        ours.append(test_auc(x, y, split != TEST, split == TEST))
        train, test = train_test_split(rows, test_size=0.2, stratify=y, random_state=seed)
        theirs.append(test_auc(x, y, train, test))
        print(f"seed {seed}: ours {ours[-1]:.4f}, scikit-learn's {theirs[-1]:.4f}", file=sys.stderr)
    ours, theirs = np.array(ours), np.array(theirs)
    print(f"converged L2 logistic regression, mean test ROC-AUC per block of 20 seeds ({len(y)} customers):")
    print("| seeds | the project's splits | scikit-learn's splits |\n|---|---|---|")
    for start in range(0, len(ours), 20):
        block = slice(start, start + 20)
        print(f"| {start}-{min(start + 20, len(ours)) - 1} | {ours[block].mean():.4f} | {theirs[block].mean():.4f} |")
    print(f"| all {len(ours)} | {ours.mean():.4f} (sd {ours.std():.4f}) | {theirs.mean():.4f} (sd {theirs.std():.4f}) |")


if __name__ == "__main__":
    main()
