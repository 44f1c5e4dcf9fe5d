#!/usr/bin/python3
"""inductive_sklearn.py — the peer of thema's inductive pass: scikit-learn's
TF-IDF + NMF on the same segments, and gensim's NPMI of both theme sets.

    /usr/bin/python3 bench/inductive_sklearn.py SEGMENTS.csv THEMES.csv \
        [--k 20] [--min-df 5] [--max-df 0.5] [--seed 1]

SEGMENTS.csv is what `thema run inductive export=true` writes (the selected
segments, their text and thema's terms), THEMES.csv thema's themes.csv of a
run with the same k. Prints `key value` lines:

  sklearn_seconds    TfidfVectorizer + NMF(init="nndsvda", solver="cd") on the
                     texts, timed inside (reading the CSV is not counted)
  sklearn_cpu        the same in CPU seconds of the process (all threads)
  sklearn_npmi       mean NPMI (gensim c_npmi) of sklearn's top-10 words over
                     sklearn's own tokens of the segments
  thema_npmi_gensim  mean NPMI (gensim) of thema's top-10 terms over thema's
                     terms of the same segments
  thema_npmi_own     the mean of thema's own coherence column

The window of gensim's c_npmi is set to the longest segment, so a window is a
whole segment: the boolean-document co-occurrence thema's NPMI uses. The stop
words given to scikit-learn are thema's (core/text/wordlists, the inductive
plugin's extra list), so both leave out the same words.
"""
import argparse
import csv
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stop_words():
    words = set()
    for name in ("stop_dutch.txt", "fillers_dutch.txt"):
        with open(os.path.join(ROOT, "core/text/wordlists", name), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    words.add(line)
    with open(os.path.join(ROOT, "plugins/lib/inductive_words.lua"), encoding="utf-8") as f:
        body = f.read().split("M.dutch = {", 1)[1].split("}", 1)[0]
        words.update(re.findall(r'"([^"]+)"', body))
    return sorted(words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("segments")
    ap.add_argument("themes")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--min-df", type=int, default=5)
    ap.add_argument("--max-df", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    csv.field_size_limit(sys.maxsize)
    texts, terms = [], []
    with open(a.segments, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts.append(row["text"])
            terms.append(row["terms"].split())
    thema_topics, thema_own = [], []
    with open(a.themes, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            thema_topics.append(row["stems"].split()[:10])
            thema_own.append(float(row["coherence"]))

    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0, c0 = time.perf_counter(), time.process_time()
    vec = TfidfVectorizer(min_df=a.min_df, max_df=a.max_df, stop_words=stop_words())
    X = vec.fit_transform(texts)
    model = NMF(n_components=a.k, init="nndsvda", solver="cd", random_state=a.seed,
                max_iter=200)
    model.fit_transform(X)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    vocab = vec.get_feature_names_out()
    sk_topics = [[vocab[j] for j in comp.argsort()[::-1][:10]] for comp in model.components_]
    print(f"sklearn_seconds {seconds:.3f}")
    print(f"sklearn_cpu {cpu:.3f}")
    print(f"sklearn_terms {len(vocab)}")
    print(f"segments {len(texts)}")

    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    def npmi(topics, docs):
        d = Dictionary(docs)
        window = max(len(doc) for doc in docs) + 1
        cm = CoherenceModel(topics=topics, texts=docs, dictionary=d, coherence="c_npmi",
                            window_size=window, processes=1)
        per = cm.get_coherence_per_topic()
        return sum(per) / len(per)

    analyse = vec.build_analyzer()
    sk_docs = [analyse(t) for t in texts]
    print(f"sklearn_npmi {npmi(sk_topics, sk_docs):.4f}")
    print(f"thema_npmi_gensim {npmi(thema_topics, terms):.4f}")
    print(f"thema_npmi_own {sum(thema_own) / len(thema_own):.4f}")
    for i, t in enumerate(sk_topics):
        print(f"sklearn_topic_{i + 1:02d} {' '.join(t)}")


if __name__ == "__main__":
    main()
