package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gatehouse/internal/access"
	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// Seed 003's operations team, tried as a new user would: customer care
// hands a conversation to Operations in the browser; an operations member
// (conversations view + note) reads it and leaves a note, never sees a
// Reply button, and a reply crafted from the page is refused (403) with
// nothing stored; care takes it back.
func TestChatsHandOffToOperationsInBrowser(t *testing.T) {
	app := testkit.NewDemoApp(t)
	ctx := context.Background()
	ids := app.DemoIDs()
	acme, err := app.DB.OrgBySlug(ctx, demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	ops := app.Join(acme, "ops@acme.test", "Otto Ops", pw, access.RoleAgent)
	set := testkit.Set(t, "dashboard_view", "chats_view", "chats_note", "+chats.canAccessTeam")
	app.Tx(func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetCustom(ctx, acme.ID, ops.ID, &set); err != nil {
			return err
		}
		team, err := tx.CreateTeam(ctx, acme.ID, "Operations", "")
		if err != nil {
			return err
		}
		_, err = tx.AddTeamMember(ctx, acme.ID, team, ops.ID)
		return err
	})
	thread := func() []store.Message {
		ms, err := app.DB.Thread(ctx, acme.ID, ids.AcmeChat, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	page := fmt.Sprintf("%s/o/acme/chats/%d", app.URL, ids.AcmeChat)

	b := testkit.NewBrowser(t)
	login(t, b, app, demo.AgentEmail, demo.Password)
	b.Navigate(page)
	b.WaitVisible(`#send-reply`)
	b.Eval(`(() => { const s = document.querySelector('#f-team'); s.value = [...s.options].find(o => o.text === 'Operations').value; return true })()`, nil)
	b.Fill(`#chat-move input[name=note]`, "refund needs operations")
	if st := b.Submit(`#chat-move`); st != http.StatusOK {
		t.Fatalf("hand-off: %d", st)
	}
	expectText(t, b, `#chat-team`, "Operations")
	b.WaitText(`#thread`, "moved this to Operations: refund needs operations")
	logout(t, b, app)

	login(t, b, app, "ops@acme.test", pw)
	b.Navigate(page)
	b.WaitVisible(`#send-note`)
	var replyShown bool
	b.Eval(`!!document.querySelector('#send-reply, [value=reply], #f-channel, #f-attachment')`, &replyShown)
	if replyShown {
		t.Fatal("the operations member sees a Reply button, the channel select or the attachment field")
	}
	n := len(thread())
	// A reply crafted from the page: the note button made to send kind=reply.
	b.Fill(`#f-body`, "Dear customer, crafted")
	b.Eval(`(() => { document.querySelector('#send-note').value = 'reply'; return true })()`, nil)
	if st := b.ClickNav(`#send-note`); st != http.StatusForbidden {
		t.Fatalf("crafted reply: %d, want 403", st)
	}
	if got := len(thread()); got != n {
		t.Fatalf("the crafted reply stored %d messages", got-n)
	}
	b.Navigate(page)
	b.Fill(`#f-body`, "Refund issued.")
	if st := b.ClickNav(`#send-note`); st != http.StatusOK {
		t.Fatalf("note: %d", st)
	}
	b.WaitText(`#thread`, "Refund issued.")
	ms := thread()
	if last := ms[len(ms)-1]; last.Kind != "note" || last.Body != "Refund issued." {
		t.Fatalf("ops' note: %+v", last)
	}
	logout(t, b, app)

	login(t, b, app, demo.AgentEmail, demo.Password)
	b.Navigate(page)
	b.Eval(`(() => { const s = document.querySelector('#f-team'); s.value = [...s.options].find(o => o.text === 'EMEA').value; return true })()`, nil)
	b.Fill(`#chat-move input[name=note]`, "back to care")
	if st := b.Submit(`#chat-move`); st != http.StatusOK {
		t.Fatalf("hand-back: %d", st)
	}
	if text := b.Text(`#thread`); !strings.Contains(text, "moved this to EMEA: back to care") || !strings.Contains(text, "Refund issued.") {
		t.Fatalf("thread after the hand-back: %s", text)
	}
}
