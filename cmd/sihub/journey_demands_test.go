package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestJourneyDemands is issue 5's story, through the pages in English: the
// demo buyer signs in, imports its part list, opens a part, sees the local
// suppliers that qualify with the reasons, opens the near-miss tab and
// reads what a supplier lacks.
func TestJourneyDemands(t *testing.T) {
	ctx := newBrowser(t)
	base := strings.Replace(startServer(t, "--demo"), "127.0.0.1", "localhost", 1)
	j := &journey{t: t, ctx: ctx, base: base}
	start := time.Now()
	var buyer demoAccount
	for _, a := range demoAccounts {
		if a.taxCode == demoBuyerTaxCode {
			buyer = a
		}
	}

	// The buyer's list as an FDI sourcing team writes it: English, the
	// requirements partly in their columns, partly only in the text.
	list := filepath.Join(t.TempDir(), "veltrada-parts.csv")
	csv := "buyer_tax_code,ref,title_en,description,capabilities,material,certifications,annual_volume,unit,delivery_province,deadline\r\n" +
		buyer.taxCode + ",PT-100,Battery housing for cordless vacuum,\"PC/ABS housing, injection press of at least 350 t\",,,,40000,pcs,Ho Chi Minh City,2027-06-30\r\n" +
		buyer.taxCode + ",PT-101,Wire harness for cordless vacuum,\"8 circuits, crimped terminals, tin plated\",wire harness,,IATF 16949,40000,pcs,Ho Chi Minh City,2027-06-30\r\n" +
		buyer.taxCode + ",PT-102,Ceramic heating element,\"Technical ceramic, sintered\",,,,40000,pcs,Ho Chi Minh City,2027-06-30\r\n"
	if err := os.WriteFile(list, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	// 1. The buyer signs in, in English.
	j.open("/lang/en?next=/signin", "#f-signin-email")
	j.fill("f-signin-email", buyer.email)
	j.fill("f-signin-password", buyer.password)
	j.follow("sign in as the buyer", chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)), `.mainnav form[action="/signout"]`)

	// 2. Demands from the menu, then the import page.
	j.follow("open the demands from the menu", chromedp.Click(chromedp.CSS(`.mainnav a[href="/demands"]`)), `a[href="/demands/import"]`)
	j.follow("open the import page", chromedp.Click(chromedp.CSS(`a[href="/demands/import"]`)), "#import-file")
	j.do("choose the part list", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{list}))
	j.follow("import the part list", chromedp.Click(chromedp.CSS(`form[action="/demands/import"] button[type="submit"]`)), "#report")
	j.wantText("#report .banner-ok", "3")

	// 3. The list shows the new parts; the wire harness opens on its
	// qualified suppliers, each with its reasons.
	j.follow("view the demands", chromedp.Click(chromedp.CSS(`#report a[href="/demands"]`)), "table")
	j.openLink("Wire harness for cordless vacuum")
	j.wantText("h1", "Wire harness for cordless vacuum")
	j.wantText("#matches table tbody tr", "IATF 16949 ✓")

	// 4. The near-miss tab names what a close supplier lacks.
	j.follow("open the near misses", chromedp.Click(chromedp.CSS(`#matches a[href$="?tab=near#matches"]`)), "#matches table")
	j.wantText("#matches table tbody tr strong", "lacks IATF 16949")

	// 5. The part no local supplier makes shows none, plainly.
	j.open("/demands?q=ceramic", "table")
	j.openLink("Ceramic heating element")
	j.wantText("#matches", "No supplier")
	t.Logf("journey took %s", time.Since(start).Round(time.Millisecond))
}

// openLink follows the link of the demands table whose text is title to
// the demand's page.
func (j *journey) openLink(title string) {
	j.t.Helper()
	if !j.mark(`[...document.querySelectorAll('main table a')].find(a => a.textContent.includes(%s))`, title) {
		j.fatalf("no demand %q is listed", title)
	}
	j.follow("open "+title, chromedp.Click(chromedp.CSS("[data-journey]")), "#matches")
}
