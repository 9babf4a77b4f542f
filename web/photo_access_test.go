package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/domain"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// A photo is for its owner, instance admins and people active in an
// organization where the owner is active too. The attack: a suspended
// member (or a stranger, or someone whose only link is a suspended
// colleague) asks for the photo by id and gets 404, as for no photo.
func TestPhotoOnlyForActiveColleagues(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	mk := func(email string) domain.User { return app.CreateUser(email, email, tokPW1) }
	owner := mk("owner@photo.test")
	colleague := mk("colleague@photo.test")
	suspended := mk("suspended@photo.test")
	stranger := mk("stranger@photo.test")
	mk("root@photo.test")
	shelved := mk("shelved@photo.test") // the photo's owner is suspended where they meet
	makeInstanceAdmin(t, app, "root@photo.test")
	acme := app.CreateOrg("Photo Ltd", "photoltd", []string{"crm"}, owner)
	app.AddMember(acme, colleague, access.RoleAgent)
	sm := app.AddMember(acme, suspended, access.RoleAgent)
	other := app.CreateOrg("Other Ltd", "otherltd", []string{"crm"}, stranger)
	om := app.AddMember(other, owner, access.RoleAgent)
	app.AddMember(other, shelved, access.RoleAgent)
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetStatus(ctx, acme.ID, sm.ID, domain.StatusSuspended); err != nil {
			return err
		}
		return tx.SetStatus(ctx, other.ID, om.ID, domain.StatusSuspended)
	})
	if _, err := app.DB.SetPhoto(ctx, owner.ID, prPNG(t, 40, 40)); err != nil {
		t.Fatal(err)
	}
	path := "/me/photo/" + strconv.FormatInt(owner.ID, 10)
	for _, c := range []struct {
		who  string
		want int
	}{
		{"owner@photo.test", http.StatusOK},
		{"colleague@photo.test", http.StatusOK},
		{"root@photo.test", http.StatusOK},
		{"suspended@photo.test", http.StatusNotFound},
		{"stranger@photo.test", http.StatusNotFound}, // the owner is suspended in the stranger's organization
		{"shelved@photo.test", http.StatusNotFound},
	} {
		r := app.LoginAs(c.who, tokPW1).Get(path)
		if r.Status != c.want {
			t.Errorf("%s GET %s: %d, want %d", c.who, path, r.Status, c.want)
		}
		if c.want == http.StatusNotFound && r.Header.Get("Content-Type") == "image/png" {
			t.Errorf("%s got the image", c.who)
		}
	}
	if r := app.Client().Get(path); r.Status != http.StatusSeeOther {
		t.Errorf("signed out: %d", r.Status)
	}
	// Re-enabled, the member sees it again.
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		return tx.SetStatus(ctx, acme.ID, sm.ID, domain.StatusActive)
	})
	if r := app.LoginAs("suspended@photo.test", tokPW1).Get(path); r.Status != http.StatusOK {
		t.Errorf("re-enabled member: %d", r.Status)
	}
}
