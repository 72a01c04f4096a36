package compliance

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestFrameworks(t *testing.T) {
	fws, err := DefaultFrameworks()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Framework{}
	var ids []string
	for i := range fws {
		byID[fws[i].ID] = &fws[i]
		ids = append(ids, fws[i].ID)
	}
	if got := strings.Join(ids, ","); got != "cis-1.2.0,cis-1.4.0,cis-3.0.0,aws-fsbp,nist-800-53,pci-dss" {
		t.Errorf("frameworks %s", got)
	}
	// The catalog's CIS v3.0.0 items name no Security Hub control.
	for _, f := range fws {
		if f.Mapped != (f.ID != "cis-3.0.0") || f.Mapped != (f.Note == "") {
			t.Errorf("%s: mapped %v, note %q", f.ID, f.Mapped, f.Note)
		}
	}
	c := Checks{SecurityHub: []string{"CloudTrail.2"}, CIS: []string{"1.2.0/2.7", "1.4.0/3.7"}}
	for id, want := range map[string]string{"cis-1.2.0": "2.7", "cis-1.4.0": "3.7", "aws-fsbp": "CloudTrail.2", "pci-dss": "3.4"} {
		if got := strings.Join(byID[id].RefsOf(&c), ","); got != want {
			t.Errorf("%s refs %q, want %q", id, got, want)
		}
	}
	if got := byID["nist-800-53"].RefsOf(&c); len(got) < 3 || got[0] != "AU-9" {
		t.Errorf("NIST refs %v", got)
	}

	// A catalog without the NIST column says so.
	fsys := fstest.MapFS{"catalogs/securityhub-controls.csv": {Data: []byte("control_id,title,pci\nEC2.1,x,1.2\n")}}
	fws, err = Frameworks(fsys, controls(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fws {
		if f.ID == "nist-800-53" && (f.Mapped || !strings.Contains(f.Note, "no nist_800_53 column")) {
			t.Errorf("NIST without data: %+v", f)
		}
		if f.ID == "pci-dss" && (!f.Mapped || f.Refs["EC2.1"][0] != "1.2") {
			t.Errorf("PCI: %+v", f)
		}
	}
}
