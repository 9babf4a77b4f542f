package domain

// Actor is who asks a service for a change: the organization as the request
// saw it, and what the audit log records about them. A service reads their
// membership and permissions again inside the change's transaction, so a
// change never commits on a stale view of them (a member suspended, removed
// or stripped of a permission after the request began is refused).
type Actor struct {
	Org    Org
	UserID int64
	Email  string
	IP     string
}
