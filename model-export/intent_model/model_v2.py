"""Model v2: a streamable shopper-intent Transformer with explicit aggregates.

Streamable by construction: causal attention over a sliding window of W steps per layer, no
absolute position embedding (a step's input is action + item + category + gap-bucket
embeddings, and attention adds a learned bias per head and relative offset 0..W-1). So an
event's hidden states never change once computed, a score depends on the newest
R = n_layers * (W - 1) + 1 events, and a per-user cache of the K/V of the previous W - 1 steps
of every layer is all the context a new event needs (`step`), or `prefill` rebuilds it.

Heads read z = [h ; MLP(aggregates)] of the newest event (aggregates.py, standardised with
training means kept as buffers):
- next action: linear, plus linear ("wide") terms on the standardised aggregates and the newest
  event's action and a one-hidden-layer tanh MLP on the same two inputs (all initialised with a
  regression fitted on the training split, its MLP penalty chosen on validation), softmax over 6;
- purchase: MLP logit, then `a * logit + b` fitted on validation (Platt calibration);
- next item over the whole vocabulary, one softmax of the sum of
    generator   g * q(z) . item_embedding + item_bias (initialised from training popularity);
                g is 1, or 0 where validation says the learned embeddings are noise (a short
                log whose items are seen a few times each: train_v2.choose_generator),
    transitions (s_t(z) + w * log1p(the last item's kept transition count)) * log1p(count of
                last item -> item in training), top M per item (a source seen often is a
                more reliable one),
    category    s_c(z) * [item's category == the newest known category of the window (its
                item may be outside the vocabulary)],
    session     s_s(z) * sum over the window's OTHER distinct items i (not the last one) of
                rank_weight[distinct recency rank of i] * log1p(count of i -> item in training)
                (transitions from the earlier items of the window, newer ones weigh more),
    repeats     only for items of the window (0 for the others), explicit repeat features:
                rank_bias[distinct-item recency rank of the item: 0 = the newest item]
                + w_count * log(occurrences in the window) + sum of bias[action_j] over its
                occurrences + bias[offset of its newest occurrence] + q_p(z) . k(item + action)
                of its newest occurrence + s_r(z) + g . [log1p(repeat events in the window),
                log1p(distinct items), last item == the one before] (a repeat-vs-new shift).
                Initialised as repeat_recent (window items first, newest first); the scalar
                weights are pre-fitted on the training split (train_v2.prefit_item_features).
  The repeat path covers the newest R events (the same R as attention), so the whole score
  is a function of those events and their gaps.
  Recency order (cfg.recency_order, applied after training): the window's distinct items keep
  the set of scores the sum above gave them, reassigned newest first; the model decides how
  many of them rank above which new items, recency their order among themselves.
- purchase also has linear ("wide") terms on the standardised aggregates and on the newest
  event's item and category purchase priors (constant tables, purchase_priors.py), initialised
  with a logistic regression fitted on the training split.
Training and serving run the same head code (`heads`) on explicit windows, so they cannot drift.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SPECIAL = 3
MASK_VALUE = -1e9


@dataclass
class StreamConfig:
    n_items: int = 0                 # including the 3 special ids (set from the vocabulary)
    n_categories: int = 0
    n_gap_buckets: int = 0
    n_aggregates: int = 0
    n_actions: int = 6
    n_next_actions: int = 6
    d_model: int = 64
    n_heads: int = 2
    n_layers: int = 2
    ffn_dim: int = 128
    attn_window: int = 25            # W: steps each layer attends to (itself included)
    dropout: float = 0.1
    top_k: int = 50
    n_transitions: int = 20          # M: transition targets kept per item
    recency_order: bool = True       # the window's items ordered newest first (recency_order)
    action_hidden: int = 16          # hidden units of the next-action MLP on the aggregates

    @property
    def receptive_field(self) -> int:
        return self.n_layers * (self.attn_window - 1) + 1


class WindowAttention(nn.Module):
    """Multi-head attention with a learned per-head bias for each relative offset 0..W-1."""

    def __init__(self, cfg: StreamConfig):
        super().__init__()
        self.h, self.dk, self.W = cfg.n_heads, cfg.d_model // cfg.n_heads, cfg.attn_window
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.rel_bias = nn.Parameter(torch.zeros(cfg.n_heads, cfg.attn_window))
        self.drop = nn.Dropout(cfg.dropout)

    def project(self, y):                                    # [B,S,d] -> 3 x [B,h,S,dk]
        B, S, _ = y.shape
        q, k, v = self.qkv(y).split(self.h * self.dk, dim=-1)
        return [t.reshape(B, S, self.h, self.dk).transpose(1, 2) for t in (q, k, v)]

    def attend(self, q, k, v, offsets, allowed):
        """q [B,h,Sq,dk], k/v [B,h,Sk,dk], offsets [Sq,Sk] long in [0,W-1], allowed [B,1|h,Sq,Sk].
        -> (output [B,Sq,d], attention averaged over heads [B,Sq,Sk]: served as influences)."""
        scores = torch.matmul(q, k.transpose(-2, -1)) / (self.dk ** 0.5)
        scores = scores + self.rel_bias[:, offsets].unsqueeze(0)
        att = torch.softmax(scores.masked_fill(~allowed, MASK_VALUE), dim=-1)
        y = torch.matmul(self.drop(att), v)                     # [B,h,Sq,dk]
        B, _, Sq, _ = y.shape
        return self.out(y.transpose(1, 2).reshape(B, Sq, self.h * self.dk)), att.mean(dim=1)


class Block(nn.Module):
    def __init__(self, cfg: StreamConfig):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = WindowAttention(cfg)
        self.ffn = nn.Sequential(nn.Linear(cfg.d_model, cfg.ffn_dim), nn.GELU(),
                                 nn.Linear(cfg.ffn_dim, cfg.d_model))
        self.drop = nn.Dropout(cfg.dropout)

    def finish(self, x, a):
        x = x + self.drop(a)
        return x + self.drop(self.ffn(self.ln2(x)))


class StreamingIntentModel(nn.Module):
    def __init__(self, cfg: StreamConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.action_emb = nn.Embedding(cfg.n_actions, d, padding_idx=0)
        self.item_emb = nn.Embedding(cfg.n_items, d, padding_idx=0)
        self.category_emb = nn.Embedding(cfg.n_categories, d, padding_idx=0)
        self.gap_emb = nn.Embedding(cfg.n_gap_buckets, d, padding_idx=0)
        for emb in (self.action_emb, self.item_emb, self.category_emb, self.gap_emb):
            nn.init.normal_(emb.weight, std=0.05)
            nn.init.zeros_(emb.weight[0])
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(d)
        self.agg_mlp = nn.Sequential(nn.Linear(cfg.n_aggregates, d), nn.GELU(), nn.Linear(d, d))
        self.action_head = nn.Linear(2 * d, cfg.n_next_actions)
        # Wide next-action terms: the standardised aggregates and the newest event's action.
        self.action_wide = nn.Linear(cfg.n_aggregates, cfg.n_next_actions)
        self.action_prior = nn.Embedding(cfg.n_actions, cfg.n_next_actions)
        # ... and a small MLP on the same inputs: the chance that a session ends is not monotone
        # in them (YOOCHOOSE: a first click ends no session, a second 43%, a third 36%; a repeated
        # item a few seconds apart ends more), which the penalised linear terms did not follow.
        H = cfg.action_hidden
        self.action_deep_in = nn.Linear(cfg.n_aggregates, H)
        self.action_deep_act = nn.Embedding(cfg.n_actions, H)
        self.action_deep_out = nn.Linear(H, cfg.n_next_actions)
        for t in (self.action_wide.weight, self.action_wide.bias, self.action_prior.weight,
                  self.action_deep_out.weight, self.action_deep_out.bias):
            nn.init.zeros_(t)
        self.purchase_head = nn.Sequential(nn.Linear(2 * d, d), nn.GELU(), nn.Linear(d, 1))
        self.purchase_wide = nn.Linear(cfg.n_aggregates, 1)
        self.purchase_prior = nn.Linear(4, 1)
        for layer in (self.purchase_wide, self.purchase_prior):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.item_query = nn.Linear(2 * d, d)
        self.item_bias = nn.Parameter(torch.zeros(cfg.n_items))
        self.ptr_query, self.ptr_key = nn.Linear(2 * d, d), nn.Linear(d, d)
        self.ptr_offset_bias = nn.Parameter(torch.zeros(cfg.receptive_field))
        self.ptr_action_bias = nn.Parameter(torch.zeros(cfg.n_actions))
        self.rank_bias = nn.Parameter(torch.zeros(cfg.receptive_field))
        self.repeat_count_weight = nn.Parameter(torch.tensor(0.5))
        self.repeat_gate = nn.Parameter(torch.zeros(3))
        self.trans_reliability = nn.Parameter(torch.zeros(()))
        self.session_rank_weight = nn.Parameter(0.5 ** torch.arange(cfg.receptive_field).float())
        # transitions, category continuity, repeat-vs-new shift of the window's items,
        # transitions from the window's earlier items
        self.prior_scales = nn.Linear(2 * d, 4)
        # Start as a hand-made blend (the window's items first, newest first as repeat_recent,
        # then transitions, same category, popularity via item_bias) so that training refines
        # a sensible ranking, not noise.
        with torch.no_grad():
            self.rank_bias.copy_(8.0 - 0.1 * torch.arange(cfg.receptive_field).float())
            self.prior_scales.weight.mul_(0.1)
            self.prior_scales.bias.copy_(torch.tensor([1.0, 0.5, 0.0, 0.5]))
        R, V, M = cfg.receptive_field, cfg.n_items, cfg.n_transitions
        # Fitted on the training split (set_priors), exported as constants of the graph.
        self.register_buffer("agg_mean", torch.zeros(cfg.n_aggregates))
        self.register_buffer("agg_std", torch.ones(cfg.n_aggregates))
        self.register_buffer("trans_ids", torch.zeros(V, M, dtype=torch.long))
        self.register_buffer("trans_weight", torch.zeros(V, M))
        self.register_buffer("item_category", torch.zeros(V, dtype=torch.long))
        self.register_buffer("purchase_calibration", torch.tensor([1.0, 0.0]))
        self.register_buffer("generator_scale", torch.ones(()))    # 0: chosen on validation
        self.register_buffer("item_purchase_prior", torch.zeros(V, 2))        # purchase_priors.py
        self.register_buffer("category_purchase_prior", torch.zeros(cfg.n_categories, 2))
        self.register_buffer("purchase_prior_mask", torch.ones(4))   # columns the recipe kept
        special = torch.zeros(V)
        special[:N_SPECIAL] = MASK_VALUE
        self.register_buffer("special_mask", special)
        self.register_buffer("window_offsets", torch.arange(R - 1, -1, -1))   # slot m -> R-1-m

    # ---- sequence encoder: full pass (training, prefill) and one step (serving) ----------
    def embed(self, action_ids, item_ids, category_ids, gap_buckets):
        return self.drop(self.action_emb(action_ids) + self.item_emb(item_ids)
                         + self.category_emb(category_ids) + self.gap_emb(gap_buckets))

    def encode(self, action_ids, item_ids, category_ids, gap_buckets, with_attention=False):
        """Hidden states of every step [B,S,d] and each layer's (k, v) [B,h,S,dk] (and, with
        `with_attention`, the last layer's head-averaged attention [B,S,S]).
        Padding (action 0) may sit on either side; pad keys are never attended to."""
        S = action_ids.shape[1]
        pos = torch.arange(S, device=action_ids.device)
        diff = pos.unsqueeze(1) - pos.unsqueeze(0)                        # query - key
        in_window = (diff >= 0) & (diff < self.cfg.attn_window)
        offsets = diff.clamp(0, self.cfg.attn_window - 1)
        allowed = (in_window.unsqueeze(0) & (action_ids > 0).unsqueeze(1)).unsqueeze(1)
        x = self.embed(action_ids, item_ids, category_ids, gap_buckets)
        kv, att = [], None
        for block in self.blocks:
            q, k, v = block.attn.project(block.ln1(x))
            kv.append((k, v))
            a, att = block.attn.attend(q, k, v, offsets, allowed)
            x = block.finish(x, a)
        return (self.ln_f(x), kv, att) if with_attention else (self.ln_f(x), kv)

    def step_encode(self, cache_k, cache_v, history_len, action, item, category, gap):
        """One new event per user. cache_k/v [n_layers,B,h,W-1,dk] hold the previous W-1 steps
        (oldest first, valid ones right-aligned); history_len [B] = events before the new one.
        -> (hidden state [B,d], new cache_k, new cache_v, the last layer's head-averaged
        attention of the new event over its window [B,W], oldest slot first)."""
        W = self.cfg.attn_window
        slots = torch.arange(W, device=action.device)
        n_prev = history_len.clamp(max=W - 1)
        allowed = (slots.unsqueeze(0) >= (W - 1 - n_prev).unsqueeze(1)).view(-1, 1, 1, W)
        offsets = (W - 1 - slots).view(1, W)
        x = self.embed(action.view(-1, 1), item.view(-1, 1), category.view(-1, 1), gap.view(-1, 1))
        new_k, new_v, att = [], [], None
        for layer, block in enumerate(self.blocks):
            q, k, v = block.attn.project(block.ln1(x))
            keys = torch.cat([cache_k[layer], k], dim=2)
            values = torch.cat([cache_v[layer], v], dim=2)
            a, att = block.attn.attend(q, keys, values, offsets, allowed)
            x = block.finish(x, a)
            new_k.append(keys[:, :, 1:])
            new_v.append(values[:, :, 1:])
        return self.ln_f(x)[:, 0], torch.stack(new_k), torch.stack(new_v), att[:, 0]

    # ---- heads on the newest event -------------------------------------------------------
    def features(self, h, aggregates):
        a = self.agg_mlp((aggregates - self.agg_mean) / self.agg_std)
        return torch.cat([h, a], dim=-1)

    def heads(self, h, aggregates, win_actions, win_items, win_categories):
        """h [N,d], aggregates [N,A], window [N,R] of the newest R events, oldest first, padded
        on the left with 0. -> (action logits [N,6], raw purchase logit [N], item logits [N,V])."""
        z = self.features(h, aggregates)
        action_logits = self.action_logits(z, aggregates, win_actions[:, -1])
        purchase_logit = self.purchase_logit(z, aggregates, win_items[:, -1], win_categories[:, -1])
        return action_logits, purchase_logit, self.item_logits(z, win_actions, win_items,
                                                               win_categories)

    def action_logits(self, z, aggregates, action):
        """action [N]: the newest event's action id."""
        a = (aggregates - self.agg_mean) / self.agg_std
        deep = self.action_mlp(a, action)
        return self.action_head(z) + self.action_wide(a) + self.action_prior(action) + deep

    def action_mlp(self, a, action):
        """The next-action MLP's logits from standardised aggregates `a` and the newest action."""
        return self.action_deep_out(torch.tanh(self.action_deep_in(a) + self.action_deep_act(action)))

    def purchase_logit(self, z, aggregates, item, category, priors=None):
        """item, category [N]: the newest event's ids. `priors` [N,4] replaces the table lookup
        (training passes leave-one-shopper-out values, purchase_priors.py)."""
        if priors is None:
            priors = torch.cat([self.item_purchase_prior[item], self.category_purchase_prior[category]], -1)
        return (self.purchase_head(z)[:, 0]
                + self.purchase_wide((aggregates - self.agg_mean) / self.agg_std)[:, 0]
                + self.purchase_prior(priors * self.purchase_prior_mask)[:, 0])

    def trans_scale(self, scales, src_item):
        total = (torch.exp(self.trans_weight[src_item]) - 1.0).sum(dim=1)
        return scales[:, 0] + self.trans_reliability * torch.log1p(total)

    def item_logits(self, z, win_actions, win_items, win_categories):
        R = win_items.shape[1]
        # The scale goes on the query, not the product: the graph then keeps one Gemm over the
        # embedding table (shared with the lookups) instead of a transposed second copy.
        gen = F.linear(self.generator_scale * self.item_query(z), self.item_emb.weight, self.item_bias)
        has_item = win_items >= N_SPECIAL                                   # [N,R]
        # Last step holding an item: the source of transitions and category continuity.
        slot = torch.arange(1, R + 1, device=z.device).unsqueeze(0)
        last = torch.argmax(has_item.long() * slot, dim=1, keepdim=True)   # 0 when none
        any_item = has_item.any(dim=1, keepdim=True)
        src_item = torch.where(any_item, win_items.gather(1, last), torch.zeros_like(last))[:, 0]
        # Category continuity reads the newest step with a known category, whether or not its
        # item is in the vocabulary: on a short log most items are not (Taobao 2 h: 86% of
        # targets), and the category of an item never seen before still names what to show.
        has_cat = win_categories >= N_SPECIAL
        last_cat = torch.argmax(has_cat.long() * slot, dim=1, keepdim=True)
        src_cat = torch.where(has_cat.any(dim=1, keepdim=True), win_categories.gather(1, last_cat),
                              torch.zeros_like(last_cat))[:, 0]
        scales = self.prior_scales(z)
        trans = torch.zeros_like(gen).scatter(1, self.trans_ids[src_item], self.trans_weight[src_item])
        same_cat = ((self.item_category.unsqueeze(0) == src_cat.unsqueeze(1))
                    & (src_cat >= N_SPECIAL).unsqueeze(1)).float()
        # Repeats, per window step j: same[j,k] = steps j and k hold the same item; the newest
        # occurrence of an item carries its score, which every occurrence then holds (so the
        # scatter below writes equal values for duplicate ids; steps without an item write 0).
        hf = has_item.float()
        same = (win_items.unsqueeze(2) == win_items.unsqueeze(1)).float() * hf.unsqueeze(2) * hf.unsqueeze(1)
        later = (slot.unsqueeze(2) < slot.unsqueeze(1)).float()        # [1,R,R]: 1 where k > j
        newest = hf * ((same * later).sum(dim=2) == 0).float()                    # [N,R]
        rank = torch.matmul(later, newest.unsqueeze(2))[:, :, 0]   # distinct items newer than j
        count = same.sum(dim=2).clamp(min=1.0)
        keys = self.ptr_key(self.item_emb(win_items) + self.action_emb(win_actions))   # [N,R,d]
        content = torch.matmul(keys, self.ptr_query(z).unsqueeze(2))[:, :, 0] / (keys.shape[-1] ** 0.5)
        actions = torch.matmul(same, self.ptr_action_bias[win_actions].unsqueeze(2))[:, :, 0]
        # Explicit repeat-vs-new evidence of the window: shoppers who revisit keep revisiting.
        n_items = hf.sum(dim=1, keepdim=True)
        n_distinct = newest.sum(dim=1, keepdim=True)
        prev_slot = torch.argmax((has_item & (slot < last + 1)).long() * slot, dim=1, keepdim=True)
        prev_same = ((win_items.gather(1, prev_slot) == src_item.unsqueeze(1))
                     & (prev_slot != last) & any_item).float()
        gate = torch.cat([torch.log1p(n_items - n_distinct), torch.log1p(n_distinct), prev_same], 1)
        step_score = (self.rank_bias[rank.long().clamp(max=R - 1)] + content + actions
                      + torch.matmul(gate, self.repeat_gate.unsqueeze(1))
                      + self.repeat_count_weight * torch.log(count)
                      + self.ptr_offset_bias[self.window_offsets[-R:]] + scales[:, 2:3])
        per_step = torch.matmul(same, (newest * step_score).unsqueeze(2))[:, :, 0]
        repeat = torch.zeros_like(gen).scatter(1, win_items, per_step)
        # Transitions from the earlier distinct items of the window (rank >= 1).
        N, M = win_items.shape[0], self.cfg.n_transitions
        w_ctx = self.session_rank_weight[rank.long().clamp(max=R - 1)] * newest * (rank >= 1).float()
        ctx_w = (self.trans_weight[win_items] * w_ctx.unsqueeze(2)).reshape(N, R * M)
        session = torch.zeros_like(gen).scatter_add(1, self.trans_ids[win_items].reshape(N, R * M), ctx_w)
        logits = (gen + self.trans_scale(scales, src_item).unsqueeze(1) * trans
                  + scales[:, 1:2] * same_cat + repeat
                  + scales[:, 3:4] * session
                  + self.special_mask)
        if self.cfg.recency_order:
            logits = self.recency_order(logits, win_items, has_item, same, newest, rank)
        return logits

    @staticmethod
    def recency_order(logits, win_items, has_item, same, newest, rank):
        """The window's distinct items keep the set of scores the model gave them, reassigned
        newest first: the highest to the newest item, the next to the one before, and so on. The
        model still decides how many of the window's items rank above which new items (the
        repeat-vs-new trade-off); their order among themselves is recency's, which beat the
        model's own order on real logs (the repeat_recent baseline). No parameter."""
        R = win_items.shape[1]
        vals = logits.gather(1, win_items)                                      # [N,R]
        masked = torch.where(newest > 0, vals, torch.full_like(vals, 2 * MASK_VALUE))
        ordered = torch.sort(masked, dim=1, descending=True)[0]
        new_vals = ordered.gather(1, rank.long().clamp(max=R - 1)) * newest      # by distinct rank
        per_step = torch.matmul(same, new_vals.unsqueeze(2))[:, :, 0]          # every occurrence
        return logits.scatter(1, win_items, torch.where(has_item, per_step, vals))

    def outputs(self, action_logits, purchase_logit, item_logits):
        """Serving outputs: probabilities, calibrated purchase, top-K items."""
        a, b = self.purchase_calibration[0], self.purchase_calibration[1]
        probs = torch.softmax(item_logits, dim=-1)
        k = min(self.cfg.top_k, self.cfg.n_items - N_SPECIAL)
        topk_scores, topk_ids = torch.topk(probs, k, dim=-1)
        return (torch.softmax(action_logits, dim=-1), torch.sigmoid(a * purchase_logit + b),
                topk_scores, topk_ids)
