package auth

import "testing"

// TestReviewerRole: a reviewer reads as a viewer does, edits nothing, and
// with admins alone may approve or reject versions.
func TestReviewerRole(t *testing.T) {
	if ParseRole("Reviewer") != RoleReviewer || RoleReviewer.String() != "reviewer" {
		t.Fatal("reviewer does not parse")
	}
	for _, tc := range []struct {
		role                      Role
		view, edit, admin, review bool
	}{
		{RoleViewer, true, false, false, false},
		{RoleReviewer, true, false, false, true},
		{RoleEditor, true, true, false, false},
		{RoleAdmin, true, true, true, true},
	} {
		p := Principal{Role: tc.role}
		if p.Can(RoleViewer) != tc.view || p.Can(RoleEditor) != tc.edit || p.Can(RoleAdmin) != tc.admin || p.CanReview() != tc.review {
			t.Errorf("%s: view %v edit %v admin %v review %v", tc.role, p.Can(RoleViewer), p.Can(RoleEditor), p.Can(RoleAdmin), p.CanReview())
		}
	}
	if got := highestRole([]string{"viewer", "reviewer"}); got != RoleReviewer {
		t.Errorf("groups viewer+reviewer: %s", got)
	}
}
