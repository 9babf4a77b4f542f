// Package session is a gorilla/sessions Store whose sessions live in SQLite
// rows (id, user, created, last seen, IP, user agent, revoked). The cookie
// holds only a random token; the row is keyed by its SHA-256, so revoking a
// row logs that browser out on its very next request.
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gorilla/sessions"

	"gatehouse/internal/store"
)

// CookieName is the session cookie.
const CookieName = "gatehouse_session"

// MaxAge is how long an idle session lives (seconds).
const MaxAge = 30 * 24 * 3600

// UserKey is the Values key that names the user of a new session.
const UserKey = "uid"

// Store implements sessions.Store on the database.
type Store struct {
	DB       *store.Store
	Secure   bool   // cookie Secure flag (served over HTTPS)
	Domain   string // cookie domain, ".example.com" to cover subdomains
	ClientIP func(*http.Request) string
}

type preloadKey struct{}

// WithPreloaded hands the store a row the auth layer already loaded, so the
// session costs no second query in the same request.
func WithPreloaded(ctx context.Context, row store.Session) context.Context {
	return context.WithValue(ctx, preloadKey{}, row)
}

// HashToken is the row id for a cookie token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns 256 random bits, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Options are the cookie settings of every session.
func (s *Store) Options() *sessions.Options {
	return &sessions.Options{Path: "/", Domain: s.Domain, MaxAge: MaxAge, Secure: s.Secure,
		HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// Get returns the request's session, cached per request by gorilla's registry.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the cookie, or returns a fresh one.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.Options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return sess, nil
	}
	id := HashToken(c.Value)
	row, ok := r.Context().Value(preloadKey{}).(store.Session)
	if !ok || row.ID != id {
		row, err = s.DB.SessionByID(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			return sess, nil
		}
		if err != nil {
			return sess, err
		}
	}
	if err := decodeValues(row.Data, sess.Values); err != nil {
		return sess, nil // unreadable values are dropped, the login stays
	}
	sess.ID = c.Value
	sess.IsNew = false
	return sess, nil
}

// Save writes the session: a new one becomes a row and a cookie, MaxAge < 0
// revokes the row and clears the cookie, otherwise its values are updated.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.DB.RevokeSessionByID(ctx, HashToken(sess.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	data, err := encodeValues(sess.Values)
	if err != nil {
		return err
	}
	if sess.ID == "" {
		uid, ok := sess.Values[UserKey].(int64)
		if !ok || uid == 0 {
			return fmt.Errorf("session: a new session needs %q", UserKey)
		}
		token := NewToken()
		ip := r.RemoteAddr
		if s.ClientIP != nil {
			ip = s.ClientIP(r)
		}
		ua := r.UserAgent()
		if len(ua) > 512 {
			ua = ua[:512]
		}
		if err := s.DB.CreateSession(ctx, store.Session{ID: HashToken(token), UserID: uid, IP: ip, UserAgent: ua, Data: data}); err != nil {
			return err
		}
		sess.ID = token
		sess.IsNew = false
	} else if err := s.DB.SaveSessionData(ctx, HashToken(sess.ID), data); err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// Values are stored as JSON with string keys; flashes are strings.
func encodeValues(v map[any]any) ([]byte, error) {
	m := make(map[string]any, len(v))
	for k, val := range v {
		m[fmt.Sprint(k)] = val
	}
	return json.Marshal(m)
}

func decodeValues(data []byte, into map[any]any) error {
	if len(data) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for k, v := range m {
		if f, ok := v.(float64); ok && k == UserKey {
			v = int64(f)
		}
		into[k] = v
	}
	return nil
}
