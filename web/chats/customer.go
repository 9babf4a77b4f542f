package chats

import (
	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/internal/access"
	"gatehouse/views/chats"
	"gatehouse/web/app"
)

// customerRows bounds the conversations a customer's page lists.
const customerRows = 20

// ForCustomer is the list of a customer's conversations in the viewer's
// scope on conversations, for the customer's page; nothing (templ.NopComponent)
// for a member who cannot open conversations.
func ForCustomer(c echo.Context, k *app.Kernel, customerID int64) (templ.Component, error) {
	a := app.AuthOf(c)
	if !a.Can(access.ModChats, access.View) {
		return templ.NopComponent, nil
	}
	vs, err := k.DB.CustomerConversations(c.Request().Context(), scope(a), customerID, customerRows)
	if err != nil {
		return nil, err
	}
	rows := make([]chats.CustomerRow, 0, len(vs))
	for _, v := range vs {
		rows = append(rows, chats.CustomerRow{Href: chatPath(a, v.ID), Subject: v.Subject, Status: v.Status, Channel: v.ChannelName, Updated: when(v.UpdatedAt)})
	}
	return chats.CustomerConversations(rows), nil
}
