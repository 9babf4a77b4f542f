package orgs

import (
	"strconv"

	"gatehouse/views/layout"
)

func subtitle(orgs []layout.OrgRef) string {
	switch len(orgs) {
	case 0:
		return "Organizations you belong to appear here."
	case 1:
		return "You belong to 1 organization."
	}
	return "You belong to " + strconv.Itoa(len(orgs)) + " organizations."
}
