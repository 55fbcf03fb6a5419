"""Synthetic shopper simulator with a known ground truth (latent purchase intent).

Catalog: categories with search terms, items with Zipf popularity, prices and a latent style
vector; shoppers browse to items of similar style and of their own persistent taste.
Users: sparse category preferences, a base intent and a "need" that drifts across sessions
(an abandoned cart raises it, a purchase resets it). Within a session the intent moves with
behaviour (revisits, adds, focused browsing) and drives dwell time, adds, checkout and exit.

Usage: /usr/bin/python3 simulator.py --seed 7 --users 3000 --out .data/sim
"""
import argparse
import csv
import json
import math
import os
from dataclasses import dataclass
from typing import Dict, List

import numpy as np

from .events import (ADD_TO_CART, CHECKOUT, REMOVE_FROM_CART, SEARCH, VIEW, Event)

CATEGORY_TERMS = [
    ["phone", "smartphone", "android", "iphone"], ["laptop", "notebook", "ultrabook", "chromebook"],
    ["headphones", "earbuds", "speaker", "soundbar"], ["tv", "television", "oled", "projector"],
    ["shoes", "sneakers", "boots", "sandals"], ["dress", "gown", "skirt", "maxi"],
    ["shirt", "jeans", "jacket", "chinos"], ["blender", "toaster", "kettle", "cookware"],
    ["sofa", "chair", "desk", "bookshelf"], ["pillow", "duvet", "sheets", "mattress"],
    ["lego", "puzzle", "doll", "toy"], ["novel", "book", "cookbook", "biography"],
    ["lipstick", "mascara", "serum", "moisturizer"], ["yoga", "dumbbell", "treadmill", "bike"],
    ["hose", "shovel", "planter", "lawnmower"], ["dog", "cat", "leash", "litter"],
    ["coffee", "tea", "snacks", "cereal"], ["stroller", "diapers", "crib", "bottle"],
    ["console", "controller", "playstation", "xbox"], ["watch", "smartwatch", "chronograph", "strap"],
]
FILLER_WORDS = ["cheap", "best", "new", "sale", "for", "men", "women", "kids", "black", "2026"]
STYLE_DIM = 8
START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
CSV_HEADER = ["event_id", "user_id", "session_id", "event_time_ms", "event_type", "item_id",
              "category_id", "query", "price", "quantity"]
EVENT_TYPES = {VIEW: "view", SEARCH: "search", ADD_TO_CART: "cart_add",
               REMOVE_FROM_CART: "cart_remove", CHECKOUT: "checkout"}


@dataclass
class SimConfig:
    seed: int = 7
    n_items: int = 3000
    n_users: int = 4000
    mean_sessions: float = 5.0
    days: int = 60
    max_session_events: int = 60


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class Catalog:
    def __init__(self, rng: np.random.RandomState, n_items: int):
        self.category_ids = [f"cat-{i + 1:02d}" for i in range(len(CATEGORY_TERMS))]
        n_cat = len(self.category_ids)
        self.item_ids = [f"sku-{i + 1:05d}" for i in range(n_items)]
        self.item_category = rng.choice(n_cat, size=n_items, p=rng.dirichlet(np.full(n_cat, 3.0)))
        ranks = rng.permutation(n_items) + 1
        pop = 1.0 / ranks ** 1.05                                   # Zipf popularity
        self.popularity = pop / pop.sum()
        cat_price = rng.lognormal(3.5, 0.8, size=n_cat)
        self.price = np.round(cat_price[self.item_category] * rng.lognormal(0, 0.4, n_items), 2)
        # A low-dimensional "style" per item: similar styles are what shoppers browse next.
        style = rng.normal(size=(n_items, STYLE_DIM))
        self.style = style / np.linalg.norm(style, axis=1, keepdims=True)
        self.by_category = [np.flatnonzero(self.item_category == c) for c in range(n_cat)]

    def to_json(self) -> dict:
        return {
            "categories": [{"id": cid, "terms": terms}
                           for cid, terms in zip(self.category_ids, CATEGORY_TERMS)],
            "items": [{"id": iid, "category": self.category_ids[c], "price": f"{p:.2f}",
                       "popularity": round(float(pop), 8)}
                      for iid, c, p, pop in zip(self.item_ids, self.item_category, self.price,
                                                self.popularity)],
        }


class Shopper:
    """One user's simulation state; the cart persists across sessions like a real shop cart."""

    def __init__(self, rng, catalog: Catalog, uid: int):
        self.uid = f"u{uid:05d}"
        self.pref = rng.dirichlet(np.full(len(catalog.category_ids), 0.25))
        self.base_intent = rng.normal(-1.2, 0.8)
        self.need = 0.0
        taste = rng.normal(size=STYLE_DIM)
        self.taste = taste / np.linalg.norm(taste)       # persistent style preference
        self.cart: List[int] = []


def simulate(cfg: SimConfig):
    """Returns (catalog, events) with events ordered by user then time."""
    rng = np.random.RandomState(cfg.seed)
    catalog = Catalog(rng, cfg.n_items)
    events: List[Event] = []
    counter = [0]
    for u in range(cfg.n_users):
        shopper = Shopper(rng, catalog, u)
        t = START_MS + int(rng.uniform(0, cfg.days / 2) * 86_400_000)
        for s in range(1 + rng.poisson(cfg.mean_sessions - 1)):
            t = _session(rng, catalog, shopper, f"{shopper.uid}-s{s}", t, cfg, events, counter)
            # Between sessions: at least 45 min, typically hours to days.
            t += int(2_700_000 + rng.exponential(1.5 * 86_400_000))
            shopper.need += rng.normal(0, 0.4)
    return catalog, events


def _session(rng, cat: Catalog, sh: Shopper, sid: str, t: int, cfg: SimConfig, out, counter):
    def emit(action, item=None, category=None, query=None, quantity=None):
        counter[0] += 1
        item_id = None if item is None else cat.item_ids[item]
        cat_id = None if category is None else cat.category_ids[category]
        price = None if item is None else f"{cat.price[item]:.2f}"
        out.append(Event(sh.uid, sid, t, action, item_id, cat_id, query, f"e{counter[0]:09d}",
                         price, quantity))

    logit = sh.base_intent + sh.need + rng.normal(0, 0.3)
    focus = rng.choice(len(cat.category_ids), p=sh.pref)
    current, seen = None, []
    for step in range(cfg.max_session_events):
        p = sigmoid(logit)
        if step == 0:
            r = rng.rand()
            if sh.cart and r < 0.25 + 0.5 * p:
                action = "return_to_cart"
            elif r < 0.35:
                action = SEARCH
            elif r < 0.45:
                action = "home"
            else:
                action = VIEW
        else:
            weights = {
                "end": 0.03 + 0.10 * (1 - p),
                CHECKOUT: 0.35 * p ** 2 if sh.cart else 0.0,
                ADD_TO_CART: 0.03 + 0.30 * p if current is not None and current not in sh.cart else 0.0,
                REMOVE_FROM_CART: 0.02 + 0.08 * (1 - p) if sh.cart else 0.0,
                SEARCH: 0.08,
                VIEW: 0.55,
            }
            keys = list(weights)
            w = np.array([weights[k] for k in keys])
            action = keys[rng.choice(len(keys), p=w / w.sum())]
        if action == "end":
            break
        # Dwell before this event: engaged (high-intent) shoppers read product pages longer.
        if step > 0:
            median_s = {VIEW: 6 + 30 * p, SEARCH: 5, ADD_TO_CART: 4, REMOVE_FROM_CART: 4,
                        CHECKOUT: 20}.get(action, 6)
            t += int(1000 * median_s * rng.lognormal(0, 0.6)) + 300
        if action == "home":
            emit(VIEW)                                   # HOME page: no item, no category
        elif action == "return_to_cart":
            current = sh.cart[rng.randint(len(sh.cart))]
            focus = cat.item_category[current]
            emit(VIEW, current, focus)
            logit += 0.5
        elif action == SEARCH:
            focus = rng.choice(len(cat.category_ids), p=sh.pref) if rng.rand() < 0.5 else focus
            terms = list(rng.choice(CATEGORY_TERMS[focus], size=1 + rng.randint(2), replace=False))
            if rng.rand() < 0.4:
                terms.insert(rng.randint(len(terms) + 1), FILLER_WORDS[rng.randint(len(FILLER_WORDS))])
            if rng.rand() < 0.05:
                terms = ["gift" + str(rng.randint(100))]           # matches no category term
            with_filter = rng.rand() < 0.25
            emit(SEARCH, None, focus if with_filter else None, " ".join(terms))
            logit += 0.2 if with_filter else 0.05
            current = None
        elif action == VIEW:
            current, focus, d = _next_view(rng, cat, sh, current, focus, seen, p)
            if rng.rand() < 0.06:
                emit(VIEW, None, focus)                   # CATEGORY page: category only
                current = None
            else:
                emit(VIEW, current, focus)
                seen.append(current)
            logit += d
        elif action == ADD_TO_CART:
            sh.cart.append(current)
            emit(ADD_TO_CART, current, cat.item_category[current], quantity=1 + (rng.rand() < 0.1))
            logit += 0.5
        elif action == REMOVE_FROM_CART:
            item = sh.cart.pop(rng.randint(len(sh.cart)))
            emit(REMOVE_FROM_CART, item, cat.item_category[item], quantity=1)
            logit -= 0.6
        elif action == CHECKOUT:
            emit(CHECKOUT)
            sh.cart.clear()
            sh.need -= 2.0
            logit -= 3.0
            if rng.rand() < 0.85:
                break
        logit += rng.normal(0, 0.15)
    if sh.cart:
        sh.need += 0.8                                   # abandoned cart: likely to come back
    return t


def _next_view(rng, cat: Catalog, sh: Shopper, current, focus, seen, p):
    """Returns (item, category, intent change). Revisits and staying on topic signal intent."""
    r = rng.rand()
    if seen and r < 0.10 + 0.30 * p:
        item = seen[rng.randint(len(seen))]
        return item, cat.item_category[item], 0.3
    if current is not None and r < 0.70:
        # "Similar items": same category, close in style to this item and to the user's taste.
        c = cat.item_category[current]
        item = _pick(rng, cat, c, 0.6 * cat.style[current] + 0.4 * sh.taste, exclude=current)
        return item, c, 0.08
    if r < 0.85:
        return _pick(rng, cat, focus, sh.taste), focus, 0.02
    new_focus = rng.choice(len(cat.category_ids), p=sh.pref)
    return _pick(rng, cat, new_focus, sh.taste), new_focus, -0.25


def _pick(rng, cat: Catalog, category: int, direction, exclude=None, sharpness=4.0):
    """Sample an item of `category` with log-odds = sharpness * style.direction + log popularity."""
    members = cat.by_category[category]
    logits = sharpness * cat.style[members] @ direction + 0.7 * np.log(cat.popularity[members])
    if exclude is not None and len(members) > 1:
        logits = np.where(members == exclude, -np.inf, logits)
    w = np.exp(logits - logits.max())
    return members[rng.choice(len(members), p=w / w.sum())]


def write_csv(events: List[Event], path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_HEADER)
        for e in events:
            w.writerow([e.event_id, e.user_id, e.session_id, e.time_ms, EVENT_TYPES[e.action],
                        e.item_id or "", e.category_id or "", e.query or "", e.price or "",
                        "" if e.quantity is None else e.quantity])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SimConfig.seed)
    ap.add_argument("--users", type=int, default=SimConfig.n_users)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), ".data", "sim"))
    args = ap.parse_args(argv)
    catalog, events = simulate(SimConfig(seed=args.seed, n_users=args.users))
    write_csv(events, os.path.join(args.out, "events.csv"))
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump(catalog.to_json(), f)
    print(f"{len(events)} events -> {args.out}")


if __name__ == "__main__":
    main()
