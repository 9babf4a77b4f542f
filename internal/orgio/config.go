// Package orgio moves an organization's access configuration in and out of
// Gatehouse as JSON (ARCHITECTURE.md, Contracts): `gatehouse export` writes it, `gatehouse
// import` checks a file strictly, reports every problem with its JSON path,
// shows the changes it would make and applies them in one transaction.
//
// An import makes the file the whole truth about the organization's access:
//   - the organization (by slug) is created or its name, products and seats updated;
//   - groups are matched by name (case-insensitive); custom groups missing from
//     the file are deleted; predefined groups are never deleted (those missing
//     from the file keep their current permissions), and a predefined group of
//     a product the organization gains is created with its defaults;
//   - members are matched by email; members missing from the file lose their
//     membership (the global account stays), except that the organization's
//     last active owner is never removed; unknown emails become accounts
//     without a password ("forgot password" lets them in). A member's name is
//     used only to create such an account: it never renames an existing user;
//   - an organization that has an active owner keeps at least one: a file that
//     would demote or suspend the last one is refused. A new organization may
//     be created without an owner (the import says so), as in the format's
//     example; a later import can name one.
package orgio

import (
	"io"
	"slices"

	"gatehouse/internal/access"
)

// Version is the format version this build writes. It reads version 2 and
// version 1, which has no teams: importing one leaves the organization's
// teams and its members' teams as they are.
const Version = 2

// VersionNoTeams is the first version, still read.
const VersionNoTeams = 1

// Config is the access configuration document.
type Config struct {
	Version      int          `json:"version"`
	Organization Organization `json:"organization"`
	Groups       []Group      `json:"groups"`
	Teams        []Team       `json:"teams"` // version 2
	// Channels are version 2's too, and optional on import: nil (no
	// "channels" key) leaves the organization's channels as they are.
	Channels []Channel `json:"channels"`
	Members  []Member  `json:"members"`
}

// HasTeams reports whether the document states teams (version 2 on).
func (c Config) HasTeams() bool { return c.Version >= Version }

// Team is one service team: its leads by email, each a member of the team.
type Team struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Leads       []string `json:"leads"`
}

// Channel is one conversation channel (ARCHITECTURE.md, Conversations): its
// kind, the teams that alone may use it (by name, none: everyone who may
// reply) and whether it is archived. Channels are matched by name.
type Channel struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Teams    []string `json:"teams"`
	Archived bool     `json:"archived"`
}

// Organization is the organization part: products never list "core".
type Organization struct {
	Name     string   `json:"name"`
	Slug     string   `json:"slug"`
	Products []string `json:"products"`
	Seats    int      `json:"seats"`
}

// Group is one permission group. Predefined is written only when true; on
// import it asserts that the group is (or becomes) a predefined one.
type Group struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Predefined  bool       `json:"predefined,omitempty"`
	Permissions access.Set `json:"permissions"`
}

// Member is one membership. Custom nil means "inherit" (JSON null); a
// non-nil empty set means individual permissions granting nothing ({}).
type Member struct {
	Email  string      `json:"email"`
	Name   string      `json:"name"`
	Role   access.Role `json:"role"`
	Status string      `json:"status"`
	Groups []string    `json:"groups"`
	Teams  []string    `json:"teams"` // version 2
	Custom *access.Set `json:"custom"`
	// Time-bound grants (ARCHITECTURE.md, Time-bound grants), times UTC to
	// the second with Z: the ends of group memberships by group name, of
	// the individual permissions, and a temporary role with the role it
	// returns to. Absent on import: no end.
	GroupExpires  map[string]string `json:"group_expires"`
	CustomExpires *string           `json:"custom_expires"`
	RoleUntil     *RoleUntil        `json:"role_until"`
}

// RoleUntil is a temporary role's end and the role it then becomes.
type RoleUntil struct {
	At   string      `json:"at"`
	Then access.Role `json:"then"`
}

// Encode writes the document as indented JSON (see WriteJSON), byte for
// byte the same for the same configuration.
func (c Config) Encode(w io.Writer) error {
	// Never write null for an empty list: [] says "none" explicitly.
	if c.Groups == nil {
		c.Groups = []Group{}
	}
	if c.Members == nil {
		c.Members = []Member{}
	}
	if c.Organization.Products == nil {
		c.Organization.Products = []string{}
	}
	if c.Teams == nil {
		c.Teams = []Team{}
	}
	if c.Channels == nil {
		c.Channels = []Channel{}
	}
	c.Channels = slices.Clone(c.Channels)
	for i := range c.Channels {
		if c.Channels[i].Teams == nil {
			c.Channels[i].Teams = []string{}
		}
	}
	c.Teams = slices.Clone(c.Teams)
	for i := range c.Teams {
		if c.Teams[i].Leads == nil {
			c.Teams[i].Leads = []string{}
		}
	}
	c.Members = slices.Clone(c.Members) // the caller's members stay as they are
	for i := range c.Members {
		if c.Members[i].Groups == nil {
			c.Members[i].Groups = []string{}
		}
		if c.Members[i].Teams == nil {
			c.Members[i].Teams = []string{}
		}
		if c.Members[i].GroupExpires == nil {
			c.Members[i].GroupExpires = map[string]string{}
		}
	}
	if !c.HasTeams() {
		return WriteJSON(w, c.v1())
	}
	return WriteJSON(w, c)
}

// configV1 and memberV1 are the version 1 document: no teams (nor
// channels) anywhere.
type configV1 struct {
	Version      int          `json:"version"`
	Organization Organization `json:"organization"`
	Groups       []Group      `json:"groups"`
	Members      []memberV1   `json:"members"`
}

type memberV1 struct {
	Email  string      `json:"email"`
	Name   string      `json:"name"`
	Role   access.Role `json:"role"`
	Status string      `json:"status"`
	Groups []string    `json:"groups"`
	Custom *access.Set `json:"custom"`
}

func (c Config) v1() configV1 {
	out := configV1{Version: c.Version, Organization: c.Organization, Groups: c.Groups, Members: make([]memberV1, len(c.Members))}
	for i, m := range c.Members {
		out.Members[i] = memberV1{m.Email, m.Name, m.Role, m.Status, m.Groups, m.Custom}
	}
	return out
}
