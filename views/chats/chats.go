// Package chats holds the Conversations module's pages: the lists (Those I
// serve / My teams / All) with search and filters, a conversation's page
// with its thread, composer and controls, the live thread's fragment, the
// start form, and the list of a customer's conversations on their page.
package chats

import (
	"github.com/a-h/templ"

	"gatehouse/internal/cache"
)

// AttachMaxBytes bounds an attachment (ARCHITECTURE.md, Conversations: 5 MB).
const AttachMaxBytes = 5 << 20

// AttachTooLarge is the message for a file over AttachMaxBytes.
const AttachTooLarge = "Files can be at most 5 MB."

// Option is one choice of a select.
type Option struct{ Value, Label string }

// Row is one conversation of a list; UpdatedAt is its last activity (Unix
// seconds), written by the row template (a kept row is not formatted again).
type Row struct {
	Href, Subject, Customer, Channel, Status, Assignee, Team string
	UpdatedAt                                                int64
}

// ListProps is a conversations list page.
type ListProps struct {
	Title, Subtitle             string
	ScopeText                   string // the member's scope in words
	Path                        string // this list's path (search and filters submit to it)
	MineHref, TeamHref, AllHref string // tabs: "" when the member may not open the list
	Current                     string // "mine", "team" or "all"
	NewHref                     string // "" without chats_create
	Q, Status, Channel, Team    string
	SearchHint                  string // what the search matches: "Search by subject or customer"
	Statuses, Channels          []Option
	TeamOptions                 string // the team filter's options, rendered (FilterOption), the chosen one selected; "" without teams
	Rows                        []Row
	NextHref                    string // "" on the last page
	FirstHref                   string // "" on the first page
	// Memo, when set, keeps rendered rows across lists (the server's, see
	// Memo); nil renders them here.
	Memo *Memo
}

// Memo holds rendered list rows, each under its whole Row (every value the
// markup shows), so an entry cannot go stale and a list writes 50 strings
// instead of running the row template 50 times. The server owns one and
// hands it to every list through ListProps.Memo.
type Memo struct{ rows *cache.HTML[Row] }

// NewMemo returns an empty memo: at most 4,096 rows in 2 MiB.
func NewMemo() *Memo { return &Memo{rows: cache.NewHTML[Row](4096, 2<<20)} }

func (p ListProps) row(r Row) templ.Component {
	if p.Memo == nil {
		return row(r)
	}
	return p.Memo.rows.Of(r, row)
}

// Message is one entry of the thread.
type Message struct {
	ID          string
	Kind        string // reply, note, event
	Author      string
	Body        string
	Channel     string // replies
	Delivery    string // replies: "stored, not sent", …
	At          string
	Attachments []AttachmentLink
}

// AttachmentLink is a file of a message.
type AttachmentLink struct{ Href, Name, Size string }

// ComposerProps is the composer: which kinds the member may write, the
// channels they may use and why others are missing.
type ComposerProps struct {
	Action       string
	CSRF         string
	CanReply     bool
	CanNote      bool
	CanAttach    bool
	Channels     []Option // usable channels (replies)
	Channel      string   // the selected one (the conversation's by default)
	MissingNote  string   // why some channels are not listed ("" when none is missing)
	ArchivedNote string   // the conversation's channel is archived
	Kind, Body   string
	Errors       map[string]string // by field: kind, body, channel, attachment
}

// Any reports whether the composer has a message.
func (p ComposerProps) Any() bool { return len(p.Errors) > 0 }

// Allowed reports whether the composer is shown at all.
func (p ComposerProps) Allowed() bool { return p.CanReply || p.CanNote }

// ShowProps is a conversation's page.
type ShowProps struct {
	Subject, Customer, CustomerHref, Channel, Status, Assignee, Team string
	BackHref, BackLabel                                              string
	CSRF                                                             string
	// Thread is the rendered messages (Thread), kept by the server
	// across requests; the rest of the page is rendered per request.
	Thread   string
	PollHref string // the live thread's next poll
	Composer ComposerProps
	// Controls, each "" or nil when the member may not use them.
	UpdateAction string
	Statuses     []Option
	MoveAction   string
	TeamOptions  string // the hand-off's team options, rendered (FilterOption), the conversation's selected
	AssignAction string
	Assignees    []Option // nil: only "Take it"
	TakeIt       bool     // the member may take it (not theirs yet)
	MeID         string
	DeleteAction string
	Errors       map[string]string // the controls' messages by field
}

// NewProps is the start form.
type NewProps struct {
	Action, CancelHref, CSRF   string
	Customers, Channels        []Option
	Customer, Channel, Subject string
	MissingNote                string
	Errors                     map[string]string
}

// CustomerRow is a conversation on a customer's page.
type CustomerRow struct{ Href, Subject, Status, Channel, Updated string }
