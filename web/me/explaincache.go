package me

import (
	"gatehouse/internal/access"
	"gatehouse/internal/cache"
)

// explainCache keeps the rendered content of each member's My Permissions
// (not the shell around it), see internal/cache. That content is a pure
// function of the member's layers and groups, which the organization's
// perm_version covers (schema triggers bump it on every change to groups,
// group memberships, role, status, individual permissions and products),
// plus the organization's name and slug, which do not bump it and so are
// part of the key. Any change therefore misses on the member's very next
// request.
type explainCache struct {
	entries *cache.Cache[explainCacheKey, []byte]
}

type explainKey struct {
	org, version  int64
	expiry        int64 // domain.Org.NextExpiry: a grant's end changes the answer
	role          access.Role
	orgName, slug string
}

type explainCacheKey struct {
	membership int64
	explainKey
}

// maxExplainBytes bounds the cache: a page of a member in 20 groups is
// about 40 KB, so this holds about a hundred members' pages while keeping
// the server inside its memory target (64 MB peak RSS at 100k members).
const maxExplainBytes = 4 << 20

func newExplainCache() explainCache {
	return explainCache{entries: cache.New[explainCacheKey, []byte](4096, maxExplainBytes, 0)}
}

func (ec explainCache) get(membership int64, k explainKey) ([]byte, bool) {
	return ec.entries.Get(explainCacheKey{membership, k}, 0)
}

func (ec explainCache) put(membership int64, k explainKey, html []byte) {
	ec.entries.Put(explainCacheKey{membership, k}, html, len(html), 0)
}
