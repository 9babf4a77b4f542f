package browser_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"gatehouse/internal/demo"
	"gatehouse/internal/store"
	"gatehouse/internal/testkit"
)

// An admin takes the last team off a channel in the browser: the save comes
// back with the warning that it opens the channel to everyone who may
// reply, nothing saved, and only "Save and open to everyone" saves it; then
// archiving shows the channel as archived.
func TestChannelOpensOnlyWhenConfirmedInBrowser(t *testing.T) {
	app := testkit.NewDemoApp(t)
	org, err := app.DB.OrgBySlug(context.Background(), demo.OrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	channel := func() store.Channel {
		all, err := app.DB.Channels(context.Background(), org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range all {
			if c.Name == demo.ChannelWhatsApp {
				return c
			}
		}
		t.Fatalf("no channel %s", demo.ChannelWhatsApp)
		return store.Channel{}
	}
	ch := channel()
	page := app.URL + "/o/" + demo.OrgSlug + "/settings/channels/" + strconv.FormatInt(ch.ID, 10)

	b := testkit.NewBrowser(t)
	login(t, b, app, demo.AdminEmail, demo.Password)
	b.Navigate(page)
	expectText(t, b, pageHeading, demo.ChannelWhatsApp)
	b.Click(`input[name=teams][value="` + strconv.FormatInt(ch.Teams[0].ID, 10) + `"]`)
	b.ClickNav(`form[action$="/channels/` + strconv.FormatInt(ch.ID, 10) + `"] button[type=submit]`)
	b.WaitText(`.channel-confirm-open`, "opens to everyone who may reply")
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/channel-open-confirm.png")
	}
	if got := channel(); !got.Restricted() {
		t.Fatal("the warning step saved the channel without its team")
	}
	b.ClickNav(`form[action$="/channels/` + strconv.FormatInt(ch.ID, 10) + `"] button.btn-danger`)
	b.WaitText(`#flashes`, "Saved the channel "+demo.ChannelWhatsApp+".")
	if got := channel(); got.Restricted() {
		t.Fatalf("confirmed, the channel kept its teams: %+v", got.Teams)
	}

	b.ClickNav(`form[action$="/archive"] button[type=submit]`)
	b.WaitText(`#flashes`, "takes no new replies")
	expectText(t, b, pageHeading, "Archived")
	if os.Getenv("GATEHOUSE_SHOTS") != "" {
		b.Screenshot(os.Getenv("GATEHOUSE_SHOTS") + "/channel-archived.png")
	}
	if !channel().Archived() {
		t.Error("archive did not archive")
	}
}
