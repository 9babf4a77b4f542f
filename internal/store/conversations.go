package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
)

// Conversation statuses, in display order.
var ConversationStatuses = []string{"open", "pending", "closed"}

// ValidConversationStatus reports whether s is one of ConversationStatuses.
func ValidConversationStatus(s string) bool { return slices.Contains(ConversationStatuses, s) }

// Conversation is a record of the chats module: a customer, a channel, an
// owning team, an assignee, a status, a subject and a thread.
type Conversation struct {
	ID              int64
	OrgID           int64
	CustomerID      int64
	CustomerName    string
	ChannelID       int64
	ChannelName     string
	ChannelKind     string
	ChannelArchived bool
	TeamID          int64 // 0: no owning team
	TeamName        string
	AssignedTo      int64 // membership id, 0: unassigned
	AssigneeName    string
	Status          string
	Subject         string
	CreatedAt       int64
	UpdatedAt       int64
	LastMessageID   int64 // the thread's newest message, 0 for none
}

// ConversationCursor is a keyset position in a conversation list: lists
// run newest activity first, so the next page holds the rows before it.
type ConversationCursor struct {
	UpdatedAt, ID int64
}

// ConversationQuery is a list request: a search over subject and customer
// name (the name only where Fields, the member's projection on customers,
// reads it), filters (zero: any), and the page after Before (nil: the first).
type ConversationQuery struct {
	Search   string
	Fields   access.Projection
	Status   string
	Channel  int64
	Team     int64
	Assignee int64
	Before   *ConversationCursor
	Limit    int
}

// whereConv is the scope in SQL over conversations v.
func (sc RecordScope) whereConv() (string, []any, error) {
	return sc.whereOn(`v.org_id = ?`, `v.org_id = ? AND v.assigned_to = ?`,
		`((v.org_id = ? AND v.assigned_to = ?) OR (v.org_id = ? AND v.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.membership_id = ?)))`)
}

const conversationCols = `v.id, v.org_id, v.customer_id, cu.name, v.channel_id, ch.name, ch.kind, ch.archived_at IS NOT NULL,
	COALESCE(v.team_id, 0), COALESCE(t.name, ''), COALESCE(v.assigned_to, 0), COALESCE(m.user_name, ''),
	v.status, v.subject, v.created_at, v.updated_at, v.last_message_id`

const conversationFrom = ` FROM conversations v JOIN customers cu ON cu.id = v.customer_id JOIN channels ch ON ch.id = v.channel_id
	LEFT JOIN teams t ON t.id = v.team_id LEFT JOIN memberships m ON m.id = v.assigned_to `

func scanConversation(sc scanner, v *Conversation) error {
	return sc.Scan(&v.ID, &v.OrgID, &v.CustomerID, &v.CustomerName, &v.ChannelID, &v.ChannelName, &v.ChannelKind, &v.ChannelArchived,
		&v.TeamID, &v.TeamName, &v.AssignedTo, &v.AssigneeName, &v.Status, &v.Subject, &v.CreatedAt, &v.UpdatedAt, &v.LastMessageID)
}

// Conversations lists the conversations in scope matching q, newest
// activity first, one keyset page (q.Limit rows; more says whether another
// page follows). A list row carries no channel or team name (ChannelName,
// TeamName, ChannelKind stay empty, and OrgID, CreatedAt, LastMessageID
// zero): the caller names them from the organization's channels and teams,
// which it holds anyway for the filters (joining them cost a third of the
// query). Every filter is an index range of its own
// (conversations_org_status, _assigned, _team, _channel) and the cursor a
// range inside it: a deep page costs what the first does. Team scope
// merges the newest rows of one index range per team of the member and of
// their assignments (conversationsSQL).
func (r reads) Conversations(ctx context.Context, sc RecordScope, q ConversationQuery) (rows []Conversation, more bool, err error) {
	var teams []int64
	if sc.scope == access.ScopeTeam && sc.orgID != 0 && sc.member != 0 {
		if teams, err = r.memberTeamIDs(ctx, sc.orgID, sc.member); err != nil {
			return nil, false, err
		}
	}
	query, args, limit, err := conversationsSQL(sc, q, teams)
	if err != nil {
		return nil, false, err
	}
	res, err := r.q.query(ctx, query, args...)
	rows, err = collect(res, err, func(s scanner, v *Conversation) error {
		return s.Scan(&v.ID, &v.CustomerID, &v.CustomerName, &v.ChannelID, &v.TeamID, &v.AssignedTo, &v.AssigneeName, &v.Status, &v.Subject, &v.UpdatedAt)
	})
	if err != nil {
		return nil, false, err
	}
	if len(rows) > limit {
		return rows[:limit], true, nil
	}
	return rows, false, nil
}

// maxTeamBranches bounds the ranges a team-scope list merges; a member of
// more teams is listed by one walk over conversations_team (every
// conversation of their teams, sorted).
const maxTeamBranches = 16

// conversationsSQL is Conversations' statement and its page size; teams
// are the member's teams (team scope).
func conversationsSQL(sc RecordScope, q ConversationQuery, teams []int64) (query string, args []any, limit int, err error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return "", nil, 0, err
	}
	var cond string
	var condArgs []any
	if q.Status != "" {
		cond += ` AND v.status = ?`
		condArgs = append(condArgs, q.Status)
	}
	if q.Channel != 0 {
		cond += ` AND v.channel_id = ?`
		condArgs = append(condArgs, q.Channel)
	}
	if q.Team != 0 {
		cond += ` AND v.team_id = ?`
		condArgs = append(condArgs, q.Team)
	}
	if q.Assignee != 0 {
		cond += ` AND v.assigned_to = ?`
		condArgs = append(condArgs, q.Assignee)
	}
	if q.Before != nil {
		// A row value: a range of every (…, updated_at, id) index.
		cond += ` AND (v.updated_at, v.id) < (?, ?)`
		condArgs = append(condArgs, q.Before.UpdatedAt, q.Before.ID)
	}
	const customer = ` JOIN customers cu ON cu.id = v.customer_id`
	searchJoin := "" // a team branch joins the customer only to search their name
	if q.Search != "" {
		pat := "%" + likeEscape(q.Search) + "%"
		if q.Fields.Readable("name") {
			searchJoin = customer
			cond += ` AND (v.subject LIKE ? ESCAPE '\' OR cu.name LIKE ? ESCAPE '\')`
			condArgs = append(condArgs, pat, pat)
		} else {
			cond += ` AND v.subject LIKE ? ESCAPE '\'`
			condArgs = append(condArgs, pat)
		}
	}
	limit = q.Limit
	if limit <= 0 {
		limit = 50
	}
	const order = ` ORDER BY v.updated_at DESC, v.id DESC LIMIT ?`
	const cols = `SELECT v.id, v.customer_id, cu.name, v.channel_id, COALESCE(v.team_id, 0), COALESCE(v.assigned_to, 0),
		COALESCE(m.user_name, ''), v.status, v.subject, v.updated_at`
	const join = ` LEFT JOIN memberships m ON m.id = v.assigned_to `
	if sc.scope != access.ScopeTeam || len(teams) > maxTeamBranches {
		return cols + ` FROM conversations v` + customer + join + `WHERE ` + where + cond + order, append(append(args, condArgs...), limit+1), limit, nil
	}
	// Team scope: assigned to the member, or owned by one of their teams.
	// An OR of the two walks the organization's conversations newest
	// first until a page matched (all of them for a rare search); each
	// branch here reads at most a page of its own index range, and the
	// page is the newest of their union.
	branch := func(index, scope string, scopeArgs ...any) {
		query += ` UNION SELECT * FROM (SELECT v.id FROM conversations v INDEXED BY ` + index + searchJoin + ` WHERE ` + scope + cond + order + `)`
		args = append(append(append(args, scopeArgs...), condArgs...), limit+1)
	}
	args = nil
	branch(`conversations_assigned`, `v.org_id = ? AND v.assigned_to = ?`, sc.orgID, sc.member)
	for _, t := range teams {
		if q.Team == 0 || q.Team == t {
			branch(`conversations_team`, `v.org_id = ? AND v.team_id = ?`, sc.orgID, t)
		}
	}
	query = cols + ` FROM (` + query[len(` UNION `):] + `) p JOIN conversations v ON v.id = p.id` + customer + join + order
	return query, append(args, limit+1), limit, nil
}

// CustomerConversations lists a customer's conversations in scope, newest
// activity first (the customer's page), at most limit.
func (r reads) CustomerConversations(ctx context.Context, sc RecordScope, customerID int64, limit int) ([]Conversation, error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return nil, err
	}
	res, err := r.q.query(ctx, `SELECT `+conversationCols+conversationFrom+`WHERE v.customer_id = ? AND `+where+
		` ORDER BY v.updated_at DESC, v.id DESC LIMIT ?`, append(append([]any{customerID}, args...), limit)...)
	return collect(res, err, scanConversation)
}

// OpenConversations counts the open conversations in scope, at most
// limit+1 (more is "limit+"): the dashboard's figure, cheap whatever the
// organization's size. All scope is a range of conversations_org_status
// (org_id, status); own walks the member's assignment range; team adds
// to it (two capped counts: they are disjoint) the open ones of the
// member's teams not assigned to them, walking conversations_team. No
// walk reads past the cap, none reads the organization's rows.
func (r reads) OpenConversations(ctx context.Context, sc RecordScope, limit int) (int, error) {
	q, args, err := openConversationsSQL(sc, limit+1)
	if err != nil {
		return 0, err
	}
	var n int
	err = r.q.queryRow(ctx, q, args...).Scan(&n)
	return min(n, limit+1), err
}

// openConversationsSQL is OpenConversations' statement, each walk
// stopped at capped rows.
func openConversationsSQL(sc RecordScope, capped int) (string, []any, error) {
	count := func(from, where string) string {
		return `(SELECT COUNT(*) FROM (SELECT 1 FROM ` + from + ` WHERE ` + where + ` AND v.status = 'open' LIMIT ?))`
	}
	switch {
	case sc.orgID != 0 && sc.scope == access.ScopeAll:
		return `SELECT ` + count(`conversations v`, `v.org_id = ?`), []any{sc.orgID, capped}, nil
	case sc.orgID != 0 && sc.scope == access.ScopeTeam && sc.member != 0:
		return `SELECT ` + count(`conversations v INDEXED BY conversations_assigned`, `v.org_id = ? AND v.assigned_to = ?`) + ` + ` +
				count(`conversations v INDEXED BY conversations_team`, `v.org_id = ? AND v.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.membership_id = ?)
				AND (v.assigned_to IS NULL OR v.assigned_to <> ?)`),
			[]any{sc.orgID, sc.member, capped, sc.orgID, sc.member, sc.member, capped}, nil
	}
	where, args, err := sc.whereConv()
	if err != nil {
		return "", nil, err
	}
	return `SELECT ` + count(`conversations v`, where), append(args, capped), nil
}

// Conversation loads one conversation in scope; another organization's or
// one out of scope is ErrNotFound.
func (r reads) Conversation(ctx context.Context, sc RecordScope, id int64) (Conversation, error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return Conversation{}, err
	}
	return one(r.q.queryRow(ctx, `SELECT `+conversationCols+conversationFrom+`WHERE v.id = ? AND `+where,
		append([]any{id}, args...)...), scanConversation)
}

// ConversationLastMessage is the newest message id of a conversation in
// scope (0: an empty thread), in one query that is also the scope check:
// the live thread's poll runs only this when nothing is new.
func (r reads) ConversationLastMessage(ctx context.Context, sc RecordScope, id int64) (int64, error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return 0, err
	}
	var last int64
	err = r.q.queryRow(ctx, `SELECT v.last_message_id FROM conversations v WHERE v.id = ? AND `+where, append([]any{id}, args...)...).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return last, err
}

// pollKey is a live-thread poll's question: a conversation, under a scope,
// at a data version. The answer is the newest message id (noConversation:
// not in scope).
type pollKey struct {
	sc              RecordScope
	id, dataVersion int64
}

const (
	noConversation = -1
	// pollEntries bounds the answers kept (a conversation open in a
	// browser is one per scope); full, the cache starts over.
	pollEntries   = 4096
	pollEntrySize = 64 // bytes of an entry, roughly, for the cache's budget
)

// ConversationLastMessageAt is ConversationLastMessage for a request whose
// auth row was read at dataVersion (AuthRow.DataVersion): while nothing has
// been committed since an answer was read at that version, it is the
// answer, so an open conversation polled every 5 s by everyone who sees
// it costs the auth query alone until something is written (ARCHITECTURE.md,
// Conversations). The version moves on any commit, by this process or
// another one on the same file, so a new message, a reassignment or a
// scope change is seen at the next poll. dataVersion 0 (not read) always
// queries.
func (s *Store) ConversationLastMessageAt(ctx context.Context, sc RecordScope, id, dataVersion int64) (int64, error) {
	k := pollKey{sc, id, dataVersion}
	if dataVersion != 0 {
		if last, ok := s.polls.Get(k, 0); ok {
			if last == noConversation {
				return 0, ErrNotFound
			}
			return last, nil
		}
	}
	last, err := s.ConversationLastMessage(ctx, sc, id)
	switch {
	case errors.Is(err, ErrNotFound):
		last = noConversation
	case err != nil:
		return 0, err
	}
	if dataVersion != 0 {
		// Read after the version: a commit in between makes this answer
		// newer than its key, and the next request asks at a newer version.
		s.polls.Put(k, last, pollEntrySize, 0)
	}
	if last == noConversation {
		return 0, ErrNotFound
	}
	return last, nil
}

// Message is one entry of a thread, with its attachments (without data).
type Message struct {
	ID          int64
	AuthorID    int64 // membership, 0: a removed member
	AuthorName  string
	Kind        string // reply, note, event
	Body        string
	ChannelID   int64 // replies: the channel it went out on
	ChannelName string
	SentState   string // replies: stored, queued, sent
	CreatedAt   int64
	Attachments []Attachment
}

// Attachment is a file of a message; Data is loaded only by Attachment.
type Attachment struct {
	ID          int64
	MessageID   int64
	Name        string
	ContentType string
	Size        int64
	Data        []byte
}

// Thread reads a conversation's messages after message id after, oldest
// first, at most limit (the newest limit when there are more: a long
// thread opens on its end), with their attachments (without data). The
// caller has checked the conversation is in scope (Conversation,
// ConversationLastMessageAt). Every column of every row costs (the driver
// takes a lock per column read), so the messages come in one narrow query
// in index order (the range starts at the limit-th newest message: no
// sort), and their authors', channels' and files' details in a second one
// (threadDetails): a thread is a few authors and channels and the odd file
// over many messages, and joining them to every message was a third of
// its cost.
func (r reads) Thread(ctx context.Context, orgID, conversationID, after int64, limit int) ([]Message, error) {
	rows, err := r.q.query(ctx, `SELECT p.id, COALESCE(p.author_id, 0), `+messageCode+`, p.body, COALESCE(p.channel_id, 0), p.created_at
		FROM messages p
		WHERE p.conversation_id = ?1 AND p.org_id = ?2 AND p.id >= COALESCE((SELECT id FROM messages
			WHERE conversation_id = ?1 AND id > ?3 ORDER BY id DESC LIMIT 1 OFFSET ?4 - 1), ?3 + 1)
		ORDER BY p.id`, conversationID, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Message, 0, min(limit, threadPrealloc))
	var d threadDetails
	for rows.Next() {
		var m Message
		var code int
		if err := rows.Scan(&m.ID, &m.AuthorID, &code, &m.Body, &m.ChannelID, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.Kind, m.SentState = messageKinds[code/len(sentStates)], sentStates[code%len(sentStates)]
		d.want(m.AuthorID, m.ChannelID)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	if err := d.read(ctx, r, orgID, conversationID, out[0].ID, out[len(out)-1].ID); err != nil {
		return nil, err
	}
	for i := range out {
		m := &out[i]
		m.AuthorName, m.ChannelName, m.Attachments = d.authors[m.AuthorID], d.channels[m.ChannelID], d.files[m.ID]
	}
	return out, nil
}

// The kinds and delivery states of messages (schema.sql's CHECKs): Thread
// reads a message's pair as one small integer, kind × len(sentStates) +
// state, rather than two strings copied for each of its rows.
var (
	messageKinds = []string{"reply", "note", "event"}
	sentStates   = []string{"", "stored", "queued", "sent"}
	messageCode  = "(" + codeOf("p.kind", messageKinds) + " * " + strconv.Itoa(len(sentStates)) + " + " + codeOf("p.sent_state", sentStates) + ")"
)

// codeOf is SQL reading column as its value's index in values.
func codeOf(column string, values []string) string {
	var b strings.Builder
	b.WriteString("CASE " + column)
	for i, v := range values {
		b.WriteString(" WHEN '" + v + "' THEN " + strconv.Itoa(i))
	}
	b.WriteString(" END")
	return b.String()
}

// threadPrealloc is the most messages Thread makes room for up front (a
// conversation's page asks for 200).
const threadPrealloc = 256

// threadDetails are what a thread's messages show beside their text: the
// names of their authors (memberships; a removed one has none) and reply
// channels by id, and their files by message id.
type threadDetails struct {
	authorIDs, channelIDs []int64
	authors, channels     map[int64]string
	files                 map[int64][]Attachment
}

// want notes an author and a channel (0: none) whose names are needed.
func (d *threadDetails) want(author, channel int64) {
	if author != 0 && !slices.Contains(d.authorIDs, author) {
		d.authorIDs = append(d.authorIDs, author)
	}
	if channel != 0 && !slices.Contains(d.channelIDs, channel) {
		d.channelIDs = append(d.channelIDs, channel)
	}
}

// read loads the names wanted and the files of the conversation's messages
// first to last, in one query.
func (d *threadDetails) read(ctx context.Context, r reads, orgID, conversationID, first, last int64) error {
	// CROSS JOIN keeps the ids the outer loop: by org_id SQLite would scan
	// the organization's memberships. Files are found through the thread's
	// index, one probe per message.
	rows, err := r.q.query(ctx, `SELECT 0, m.id, m.user_name, '', 0, 0 FROM json_each(?2) j CROSS JOIN memberships m ON m.id = j.value WHERE m.org_id = ?1
		UNION ALL SELECT 1, ch.id, ch.name, '', 0, 0 FROM json_each(?3) j CROSS JOIN channels ch ON ch.id = j.value WHERE ch.org_id = ?1
		UNION ALL SELECT 2, a.id, a.name, a.content_type, a.size, a.message_id FROM messages p CROSS JOIN attachments a ON a.message_id = p.id
			WHERE p.conversation_id = ?4 AND p.id BETWEEN ?5 AND ?6 AND a.org_id = ?1`,
		orgID, jsonIDs(d.authorIDs), jsonIDs(d.channelIDs), conversationID, first, last)
	if err != nil {
		return err
	}
	defer rows.Close()
	d.authors, d.channels = make(map[int64]string, len(d.authorIDs)), make(map[int64]string, len(d.channelIDs))
	for rows.Next() {
		var what int
		var a Attachment
		if err := rows.Scan(&what, &a.ID, &a.Name, &a.ContentType, &a.Size, &a.MessageID); err != nil {
			return err
		}
		switch what {
		case 0:
			d.authors[a.ID] = a.Name
		case 1:
			d.channels[a.ID] = a.Name
		default:
			if d.files == nil {
				d.files = map[int64][]Attachment{}
			}
			d.files[a.MessageID] = append(d.files[a.MessageID], a)
		}
	}
	for _, fs := range d.files {
		slices.SortFunc(fs, func(x, y Attachment) int { return cmp.Compare(x.ID, y.ID) })
	}
	return rows.Err()
}

// jsonIDs is ids as a JSON array, one parameter for json_each.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// Attachment loads attachment id of conversation conversationID in scope,
// with its data (another organization's, another conversation's or one out
// of scope: ErrNotFound).
func (r reads) Attachment(ctx context.Context, sc RecordScope, conversationID, id int64) (Attachment, error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return Attachment{}, err
	}
	return one(r.q.queryRow(ctx, `SELECT a.id, a.message_id, a.name, a.content_type, a.size, a.data FROM attachments a
		JOIN messages p ON p.id = a.message_id JOIN conversations v ON v.id = p.conversation_id
		WHERE a.id = ? AND v.id = ? AND `+where, append([]any{id, conversationID}, args...)...),
		func(sc scanner, a *Attachment) error {
			return sc.Scan(&a.ID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.Data)
		})
}

// NewConversation is what starting a conversation records.
type NewConversation struct {
	OrgID, CustomerID, ChannelID, TeamID, AssignedTo int64
	Subject                                          string
}

// CreateConversation starts a conversation (status open). Whether the
// member may see the customer and use the channel is the caller's check;
// here a customer, channel or team of another organization is not found.
func (tx *Tx) CreateConversation(ctx context.Context, n NewConversation) (int64, error) {
	var ok int
	err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM customers WHERE id = ? AND org_id = ?)
		+ (SELECT COUNT(*) FROM channels WHERE id = ? AND org_id = ?)`, n.CustomerID, n.OrgID, n.ChannelID, n.OrgID).Scan(&ok)
	if err != nil {
		return 0, err
	}
	if ok != 2 {
		return 0, ErrNotFound
	}
	if n.TeamID != 0 {
		if _, err := tx.Team(ctx, n.OrgID, n.TeamID); err != nil {
			return 0, err
		}
	}
	now := tx.Now()
	res, err := tx.Exec(ctx, `INSERT INTO conversations (org_id, customer_id, channel_id, team_id, assigned_to, status, subject, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)`, n.OrgID, n.CustomerID, n.ChannelID, nullID(n.TeamID), nullID(n.AssignedTo), n.Subject, now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// NewMessage is a message to add to a conversation's thread, with an
// optional attachment.
type NewMessage struct {
	ConversationID int64
	AuthorID       int64
	Kind           string // reply, note, event
	Body           string
	ChannelID      int64  // replies
	SentState      string // replies: stored, queued, sent
	Attachment     *Attachment
}

// AddMessage appends m (and its attachment) to a conversation in scope and
// makes it the conversation's newest activity, in this transaction: a
// conversation out of scope is ErrNotFound and nothing is written.
func (tx *Tx) AddMessage(ctx context.Context, sc RecordScope, m NewMessage) (int64, error) {
	where, args, err := sc.whereConv()
	if err != nil {
		return 0, err
	}
	now := tx.Now()
	res, err := tx.Exec(ctx, `INSERT INTO messages (org_id, conversation_id, author_id, kind, body, channel_id, sent_state, created_at)
		SELECT v.org_id, v.id, ?, ?, ?, ?, ?, ? FROM conversations v WHERE v.id = ? AND `+where,
		append([]any{nullID(m.AuthorID), m.Kind, m.Body, nullID(m.ChannelID), m.SentState, now, m.ConversationID}, args...)...)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ErrNotFound
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if a := m.Attachment; a != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO attachments (org_id, message_id, name, content_type, size, data) VALUES (?, ?, ?, ?, ?, ?)`,
			sc.orgID, id, a.Name, a.ContentType, len(a.Data), a.Data); err != nil {
			return 0, err
		}
	}
	return id, tx.execOne(ctx, `UPDATE conversations SET updated_at = ?, last_message_id = ? WHERE id = ?`, now, id, m.ConversationID)
}

// event records a change in the thread as written by the member author.
func (tx *Tx) event(ctx context.Context, sc RecordScope, conversationID, author int64, body string) error {
	_, err := tx.AddMessage(ctx, sc, NewMessage{ConversationID: conversationID, AuthorID: author, Kind: "event", Body: body})
	return err
}

// updateConversation sets one column of a conversation in scope.
func (tx *Tx) updateConversation(ctx context.Context, sc RecordScope, id int64, set string, val any) error {
	where, args, err := sc.whereConv()
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `UPDATE conversations AS v SET `+set+` = ? WHERE v.id = ? AND `+where, append([]any{val, id}, args...)...)
}

// AssignConversation gives a conversation in scope to membership assignee
// (0: nobody), an active member of the organization, and records it in
// the thread as done by author (named actor): "Ann took this.", "Ann
// assigned this to Bob.", "Ann unassigned this.".
func (tx *Tx) AssignConversation(ctx context.Context, sc RecordScope, id, assignee, author int64, actor string) error {
	body := actor + " unassigned this."
	switch {
	case assignee == author:
		body = actor + " took this."
	case assignee != 0:
		var name string
		err := tx.QueryRow(ctx, `SELECT user_name FROM memberships WHERE id = ? AND org_id = ? AND status = 'active'`,
			assignee, sc.orgID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Invalid("assignee", "Choose an active member of this organization.")
		}
		if err != nil {
			return err
		}
		body = actor + " assigned this to " + name + "."
	}
	if err := tx.event(ctx, sc, id, author, body); err != nil {
		return err
	}
	return tx.updateConversation(ctx, sc, id, "assigned_to", nullID(assignee))
}

// MoveConversation hands a conversation in scope to team (0: none) and
// keeps its assignee; the thread records body (who moved it and why). The
// event is written first: once moved, the conversation may be out of the
// mover's scope.
func (tx *Tx) MoveConversation(ctx context.Context, sc RecordScope, id, team, author int64, body string) error {
	if team != 0 {
		if _, err := tx.Team(ctx, sc.orgID, team); err != nil {
			return err
		}
	}
	if err := tx.event(ctx, sc, id, author, body); err != nil {
		return err
	}
	return tx.updateConversation(ctx, sc, id, "team_id", nullID(team))
}

// SetConversationStatus changes the status of a conversation in scope and
// records body in the thread.
func (tx *Tx) SetConversationStatus(ctx context.Context, sc RecordScope, id int64, status string, author int64, body string) error {
	if !ValidConversationStatus(status) {
		return domain.Invalid("status", "Choose open, pending or closed.")
	}
	if err := tx.event(ctx, sc, id, author, body); err != nil {
		return err
	}
	return tx.updateConversation(ctx, sc, id, "status", status)
}

// SetConversationSubject renames a conversation in scope.
func (tx *Tx) SetConversationSubject(ctx context.Context, sc RecordScope, id int64, subject string) error {
	return tx.updateConversation(ctx, sc, id, "subject", subject)
}

// DeleteConversation removes a conversation in scope with its thread.
func (tx *Tx) DeleteConversation(ctx context.Context, sc RecordScope, id int64) error {
	where, args, err := sc.whereConv()
	if err != nil {
		return err
	}
	return tx.execOne(ctx, `DELETE FROM conversations AS v WHERE v.id = ? AND `+where, append([]any{id}, args...)...)
}
