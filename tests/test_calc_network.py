"""Network kernels: edge counts, ties, the top-k emitter guarantee, PageRank and
betweenness against networkx (a test dependency only)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from numpy.testing import assert_allclose

from viscarbon.calc.network import (
    betweenness,
    edge_count,
    embodied_flows,
    pagerank,
    percentiles,
    prune_edges,
    rank_order,
    ranks,
    strongest_links,
)


def test_edge_count_is_88_for_5_percent_of_42_squared() -> None:
    assert edge_count(5.0, 42 * 42) == 88
    assert edge_count(5, 1764) == 88
    assert edge_count(100, 1764) == 1764
    assert edge_count(0, 1764) == 0
    assert edge_count(1, 100) == 1
    with pytest.raises(ValueError):
        edge_count(101, 10)


def test_prune_keeps_exactly_88_cells_including_self_flows() -> None:
    rng = np.random.default_rng(42)
    W = rng.lognormal(size=(42, 42))
    W[np.diag_indices(42)] *= 50  # self-flows among the largest
    kept = prune_edges(W, top_percent=5)
    assert kept.n_top == 88 and len(kept.cells) == 88 and not kept.added.any()
    diag = {i * 42 + i for i in range(42)}
    assert diag & set(kept.cells.tolist())
    threshold = np.sort(W.ravel())[-88]
    assert np.all(W.ravel()[kept.cells] >= threshold)


def test_ties_broken_by_value_then_row_then_column() -> None:
    W = np.array([[1.0, 3.0, 3.0], [3.0, 2.0, 0.0], [0.0, 3.0, 1.0]])
    order = rank_order(W)
    assert order[:4].tolist() == [1, 2, 3, 7]  # the four 3.0 cells in row-major order
    assert ranks(W).ravel()[[1, 2, 3, 7]].tolist() == [1, 2, 3, 4]
    assert prune_edges(W, top_percent=100 * 2 / 9).cells.tolist() == [1, 2]
    assert_allclose(percentiles(np.array([1.0, 2.0, 2.0, 5.0])), [25.0, 75.0, 75.0, 100.0])


def test_top_k_emitters_stay_visible_with_their_strongest_link() -> None:
    rng = np.random.default_rng(0)
    S = 42
    W = rng.random((S, S)) * 10 + 1
    W[7, :] = 0.01  # sector 7: the largest emitter but only weak flows
    W[:, 7] = 0.01
    W[7, 3] = 0.5  # its strongest link
    emissions = rng.random(S)
    emissions[7] = 100.0
    plain = prune_edges(W, top_percent=5)
    touched = {c // S for c in plain.cells} | {c % S for c in plain.cells}
    assert 7 not in touched  # pruning alone hides the largest emitter
    kept = prune_edges(W, top_percent=5, emissions=emissions, keep_top_emitters=1)
    assert len(kept.cells) == 89 and kept.n_top == 88
    assert kept.cells[-1] == 7 * S + 3 and kept.added[-1] and kept.added.sum() == 1
    assert strongest_links(W)[7] == 7 * S + 3


def test_strongest_link_excludes_self_flows() -> None:
    W = np.array([[9.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 5.0]])
    s = strongest_links(W)
    assert s.tolist() == [1, 5, 5]
    assert strongest_links(np.array([[1.0, 0.0], [0.0, 0.0]])).tolist() == [0, -1]


def _graph(W: np.ndarray, *, self_loops: bool) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(range(W.shape[0]))
    for i, j in zip(*np.nonzero(W), strict=True):
        if i != j or self_loops:
            G.add_edge(int(i), int(j), weight=float(W[i, j]), distance=1.0 / float(W[i, j]))
    return G


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pagerank_and_betweenness_match_networkx(seed: int) -> None:
    rng = np.random.default_rng(seed)
    S = 42
    W = rng.lognormal(size=(S, S)) * (rng.random((S, S)) < 0.25)
    W[5, :] = 0.0  # a dangling node
    pr = pagerank(W)
    ref = nx.pagerank(_graph(W, self_loops=True), alpha=0.85, weight="weight", tol=1e-14, max_iter=10_000)
    assert_allclose(pr, [ref[i] for i in range(S)], rtol=1e-8)
    assert_allclose(pr.sum(), 1.0, rtol=1e-13)
    bc = betweenness(W)
    ref_b = nx.betweenness_centrality(_graph(W, self_loops=False), weight="distance", normalized=True)
    assert_allclose(bc, [ref_b[i] for i in range(S)], rtol=1e-9, atol=1e-15)
    assert bc.max() > 0


def test_betweenness_with_tied_paths_matches_networkx() -> None:
    rng = np.random.default_rng(5)
    W = rng.integers(0, 3, size=(20, 20)).astype(float)  # weights 1 or 2: many equal-length paths
    bc = betweenness(W)
    ref = nx.betweenness_centrality(_graph(W, self_loops=False), weight="distance")
    assert_allclose(bc, [ref[i] for i in range(20)], rtol=1e-9, atol=1e-15)


def test_embodied_flows() -> None:
    Z = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = np.array([0.5, 2.0])
    assert_allclose(embodied_flows(m, Z), [[0.5, 1.0], [6.0, 8.0]])
