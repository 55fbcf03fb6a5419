"""SASRec-style intent model: causal self-attention over the newest L events of a shopper.

Input step embedding = action + item + category + gap bucket + position in the window
(0 = oldest kept event). Because attention is causal, the output at step t depends only on
steps <= t, so training can score every prefix of a window in one pass (see dataset.py).
Heads read the last valid step: next action (6-way softmax), purchase probability (sigmoid),
next item: a pointer-generator mixture (top-K in graph) of
  - a generator: softmax over the item vocabulary, weights tied to the item embedding, and
  - a pointer: attention over the items already in the window (shoppers often go back to an
    item they saw; a 64-d tied embedding alone is poor at copying), gated by sigmoid(gate(h)).
Written with plain ops only so torch 1.13 exports it cleanly to ONNX opset 17.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SPECIAL = 3          # pad, oov, none: never recommended
MASK_VALUE = -1e9      # large negative instead of -inf keeps ORT and torch numerically equal


@dataclass
class ModelConfig:
    n_items: int = 0             # including the 3 special ids; set from the vocabulary
    n_categories: int = 0
    n_gap_buckets: int = 0
    n_actions: int = 6
    n_next_actions: int = 6
    max_seq_len: int = 50
    d_model: int = 64
    n_heads: int = 2
    n_layers: int = 2
    ffn_dim: int = 128
    dropout: float = 0.2
    top_k: int = 50


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.h, self.dk = cfg.n_heads, cfg.d_model // cfg.n_heads
        self.q = nn.Linear(cfg.d_model, cfg.d_model)
        self.k = nn.Linear(cfg.d_model, cfg.d_model)
        self.v = nn.Linear(cfg.d_model, cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, causal):                       # x [B,S,d], causal [S,S] bool
        B, S, d = x.shape

        def heads(t):                                   # [B,S,d] -> [B,h,S,dk]
            return t.view(B, S, self.h, self.dk).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / (self.dk ** 0.5)
        att = torch.softmax(scores.masked_fill(~causal, MASK_VALUE), dim=-1)   # [B,h,S,S]
        y = torch.matmul(self.drop(att), v).transpose(1, 2).reshape(B, S, d)
        return self.out(y), att


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(cfg.d_model), nn.LayerNorm(cfg.d_model)
        self.attn = CausalSelfAttention(cfg)
        self.ffn = nn.Sequential(nn.Linear(cfg.d_model, cfg.ffn_dim), nn.GELU(),
                                 nn.Linear(cfg.ffn_dim, cfg.d_model))
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, causal):
        a, att = self.attn(self.ln1(x), causal)
        x = x + self.drop(a)
        return x + self.drop(self.ffn(self.ln2(x))), att


class IntentModel(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.action_emb = nn.Embedding(cfg.n_actions, d, padding_idx=0)
        self.item_emb = nn.Embedding(cfg.n_items, d, padding_idx=0)
        self.category_emb = nn.Embedding(cfg.n_categories, d, padding_idx=0)
        self.gap_emb = nn.Embedding(cfg.n_gap_buckets, d, padding_idx=0)
        self.pos_emb = nn.Embedding(cfg.max_seq_len, d)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(d)
        self.action_head = nn.Linear(d, cfg.n_next_actions)
        self.purchase_head = nn.Linear(d, 1)
        self.item_bias = nn.Parameter(torch.zeros(cfg.n_items))
        self.ptr_q, self.ptr_k = nn.Linear(d, d), nn.Linear(d, d)
        self.ptr_gate = nn.Linear(d, 1)
        keep = torch.ones(cfg.n_items)
        keep[:N_SPECIAL] = 0.0
        self.register_buffer("keep_mask", keep, persistent=False)
        special = torch.zeros(cfg.n_items)
        special[:N_SPECIAL] = MASK_VALUE
        self.register_buffer("special_mask", special, persistent=False)
        # Same small scale for every embedding: with PyTorch's N(0,1) default the action/gap/
        # position embeddings would drown the item signal, and the tied item head starts sane.
        for emb in (self.action_emb, self.item_emb, self.category_emb, self.gap_emb, self.pos_emb):
            nn.init.normal_(emb.weight, std=0.05)
            if emb.padding_idx is not None:
                nn.init.zeros_(emb.weight[emb.padding_idx])

    def hidden(self, action_ids, item_ids, category_ids, gap_buckets):
        """-> (hidden states of every step [B,S,d], last-layer attention [B,h,S,S])."""
        S = action_ids.shape[1]
        steps = torch.arange(S, device=action_ids.device)          # ONNX Range: S stays dynamic
        causal = steps.unsqueeze(0) <= steps.unsqueeze(1)          # [S,S], key <= query
        x = (self.action_emb(action_ids) + self.item_emb(item_ids) + self.category_emb(category_ids)
             + self.gap_emb(gap_buckets) + self.pos_emb(steps).unsqueeze(0))
        x = self.drop(x)
        att = None
        for block in self.blocks:
            x, att = block(x, causal)
        return self.ln_f(x), att

    def encode(self, action_ids, item_ids, category_ids, gap_buckets, lengths):
        """-> (last valid step's hidden state [B,d], last-layer attention row [B,S],
        all hidden states [B,S,d])."""
        S = action_ids.shape[1]
        x, att = self.hidden(action_ids, item_ids, category_ids, gap_buckets)
        last = (lengths - 1).view(-1, 1, 1)
        h = x.gather(1, last.expand(-1, 1, x.shape[2]))[:, 0]          # [B,d]
        att_mean = att.mean(dim=1)                                      # [B,S,S] over heads
        att_row = att_mean.gather(1, last.expand(-1, 1, S))[:, 0]       # [B,S]; 0 past the end
        return h, att_row, x

    def pointer(self, queries, x, item_ids, causal=None):
        """Pointer attention of queries [B,T,d] over window steps [B,S,d] that carry a real item.
        -> (probabilities over steps [B,T,S], gate in [0,1] [B,T]); gate is 0 with no item."""
        has_item = (item_ids >= N_SPECIAL).unsqueeze(1)                  # [B,1,S]
        allowed = has_item if causal is None else has_item & causal.unsqueeze(0)
        scores = torch.matmul(self.ptr_q(queries), self.ptr_k(x).transpose(1, 2))
        scores = scores / (x.shape[-1] ** 0.5)
        p = torch.softmax(scores.masked_fill(~allowed, MASK_VALUE), dim=-1) * allowed.float()
        gate = torch.sigmoid(self.ptr_gate(queries))[..., 0] * allowed.any(dim=-1).float()
        return p, gate

    def item_probs(self, h, x, item_ids, item_logits):
        """Serving next-item distribution over the vocabulary [B,V] (specials get 0)."""
        p, gate = self.pointer(h.unsqueeze(1), x, item_ids)
        p, gate = p[:, 0], gate[:, 0]                                   # [B,S], [B]
        same = (item_ids.unsqueeze(2) == item_ids.unsqueeze(1)).float()  # [B,S,S]
        # Mass of every step's item summed over its repeats, so duplicate ids scatter the same
        # value (ScatterElements without a reduction is then order independent).
        per_step = torch.matmul(same, p.unsqueeze(2))[:, :, 0]
        copy = torch.zeros_like(item_logits).scatter(1, item_ids, per_step)
        generate = torch.softmax(item_logits, dim=-1)
        mix = (1 - gate).unsqueeze(1) * generate + gate.unsqueeze(1) * copy
        return mix * self.keep_mask

    def item_log_likelihood(self, x, item_ids, item_logits, targets, positions):
        """Training: log p(target) of the mixture at every scored step of a window batch.
        x [B,S,d] hidden states, item_logits/targets for the selected `positions` (bool [B,S])."""
        S = x.shape[1]
        steps = torch.arange(S)
        p, gate = self.pointer(x, x, item_ids, steps.unsqueeze(0) <= steps.unsqueeze(1))
        hit = (item_ids.unsqueeze(1) == targets.clamp(min=0).unsqueeze(2)).float()   # [B,T,S]
        copy = (p * hit).sum(-1)[positions]
        gate = gate[positions]
        gen = torch.log_softmax(item_logits, dim=-1).gather(1, targets[positions].unsqueeze(1))[:, 0]
        return torch.logaddexp(torch.log1p(-gate + 1e-6) + gen, torch.log(gate * copy + 1e-12))

    def logits(self, h):
        """(next-action logits, purchase logit [B], item logits [B,V] with specials masked)."""
        item_logits = F.linear(h, self.item_emb.weight, self.item_bias) + self.special_mask
        return self.action_head(h), self.purchase_head(h).reshape(-1), item_logits

    def forward(self, action_ids, item_ids, category_ids, gap_buckets, lengths):
        """The serving graph: names and order match the sidecar's outputs."""
        h, att_row, x = self.encode(action_ids, item_ids, category_ids, gap_buckets, lengths)
        action_logits, purchase_logit, item_logits = self.logits(h)
        item_probs = self.item_probs(h, x, item_ids, item_logits)
        k = min(self.cfg.top_k, self.cfg.n_items - N_SPECIAL)
        topk_scores, topk_ids = torch.topk(item_probs, k, dim=-1)
        return (torch.softmax(action_logits, dim=-1), torch.sigmoid(purchase_logit),
                topk_scores, topk_ids, att_row)
