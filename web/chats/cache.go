package chats

import (
	"context"
	"io"

	"github.com/a-h/templ"

	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/views/chats"
	"gatehouse/web/app"
)

// pageKey is a conversations list page in Handlers.pages: the
// organization's versions of what a page shows, whose list and the
// question (a cursor by value: the query holds it by pointer).
type pageKey struct {
	conversations, customers, members, perm int64
	scope                                   store.RecordScope
	q                                       store.ConversationQuery // Before nil: see before
	before                                  store.ConversationCursor
	deep                                    bool // a page after the first
}

type listPage struct {
	rows []store.Conversation
	more bool
}

// channelRefs are the organization's channels (ids and names, by name)
// from Handlers.channels: adding, renaming or deleting a channel bumps
// conversations_version too (migration 19).
func (s *Handlers) channelRefs(ctx context.Context, org *domain.Org) ([]store.GroupRef, error) {
	key := orgVersion{org.ID, org.ConversationsVersion}
	if refs, ok := s.channels.Get(key, 0); ok {
		return refs, nil
	}
	refs, err := s.DB.ChannelRefs(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	size := 64
	for _, r := range refs {
		size += 48 + len(r.Name)
	}
	s.channels.Put(key, refs, size, 0)
	return refs, nil
}

// conversations returns a page of the conversations in scope sc matching
// q, from Handlers.pages when it holds it. Schema triggers bump
// conversations_version on every change of a conversation (migration 19;
// a message moves its last activity, so every reply, note and event
// too); a row's customer name is customers_version's, its assignee's name
// members_version's, who is in which team (team scope) perm_version's.
// The auth context reads the four on each request, so a change misses on
// the very next request. Channel and team names are not kept: the list
// names them per request. A page costs a few hundred microseconds of
// SQLite, a repeat a map lookup. The rows are shared: callers must not
// modify them.
func (s *Handlers) conversations(ctx context.Context, org *domain.Org, sc store.RecordScope, q store.ConversationQuery) ([]store.Conversation, bool, error) {
	key := pageKey{conversations: org.ConversationsVersion, customers: org.CustomersVersion, members: org.MembersVersion, perm: org.PermVersion,
		scope: sc, q: q}
	if q.Before != nil {
		key.q.Before, key.before, key.deep = nil, *q.Before, true
	}
	if p, ok := s.pages.Get(key, 0); ok {
		return p.rows, p.more, nil
	}
	rows, more, err := s.DB.Conversations(ctx, sc, q)
	if err != nil {
		return nil, false, err
	}
	size := 256 + len(q.Search)
	for _, r := range rows {
		size += 200 + len(r.CustomerName) + len(r.AssigneeName) + len(r.Subject) + len(r.Status)
	}
	s.pages.Put(key, listPage{rows, more}, size, 0)
	return rows, more, nil
}

// threadKey is a conversation's rendered thread in Handlers.threads:
// everything its markup reads. The messages, their files and delivery
// states and the channels' names move conversations_version (migrations
// 19 and 21), the authors' names members_version; the links carry the
// organization's slug; times are UTC.
type threadKey struct {
	org, conversation      int64
	conversations, members int64
	slug                   string
}

// thread is the rendered newest threadSize messages of conversation id
// (in scope: the caller loaded it), from Handlers.threads when it holds
// them: 200 messages cost a millisecond of SQLite and templ, a repeat a
// map lookup. The auth context reads both versions on each request, so a
// new message, note, event or file, or a renamed author, shows on the
// very next request.
func (s *Handlers) thread(ctx context.Context, a *app.Auth, id int64) (string, error) {
	key := threadKey{org: a.Org.ID, conversation: id, conversations: a.Org.ConversationsVersion, members: a.Org.MembersVersion, slug: a.Org.Slug}
	var readErr error
	html, err := s.threads.Markup(ctx, key, func() templ.Component {
		ms, err := s.DB.Thread(ctx, a.Org.ID, id, 0, threadSize)
		if err != nil {
			readErr = err
			return templ.ComponentFunc(func(context.Context, io.Writer) error { return err })
		}
		return chats.Thread(s.messages(a, id, ms))
	})
	if readErr != nil {
		return "", readErr
	}
	return html, err
}
