package handlers

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// startExportAs posts the export form and follows the job page until the file is ready; it
// returns the job's page URL.
func startExportAs(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	c.get("/admin/ekspor")
	r := c.post("/admin/ekspor", form)
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/ekspor/") {
		t.Fatalf("start: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	job := r.header.Get("Location")
	for deadline := time.Now().Add(20 * time.Second); ; {
		p := c.get(job)
		if p.status != fiber.StatusOK {
			t.Fatalf("job page %d", p.status)
		}
		if strings.Contains(p.body, `id="unduh"`) {
			if strings.Contains(p.body, `http-equiv="refresh"`) {
				t.Error("a finished job's page still reloads itself")
			}
			return job
		}
		if strings.Contains(p.body, `id="galat-ekspor"`) || time.Now().After(deadline) {
			t.Fatalf("job did not finish:\n%s", p.body)
		}
		if !strings.Contains(p.body, `http-equiv="refresh"`) {
			t.Fatal("a running job's page does not reload itself")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestExportPageWritesAFileThatResumes: the admin starts an export, its page shows progress then
// a download, the file lies in <data>/ekspor/ (no .part left), and the download answers byte
// ranges, so a broken one resumes into the same bytes. Another account does not see the job.
func TestExportPageWritesAFileThatResumes(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin")
	if r := admin.get("/admin/ekspor"); r.status != fiber.StatusOK || !strings.Contains(r.body, `id="mulai-ekspor"`) || !strings.Contains(r.body, `id="nav-ekspor"`) {
		t.Fatalf("page %d", r.status)
	}
	job := startExportAs(t, admin, url.Values{"kind": {"records"}, "format": {"csv"}})
	full := admin.get(job + "/unduh")
	if full.status != fiber.StatusOK || !strings.HasPrefix(full.body, "\ufeffnip,tabel,baris,") || !strings.Contains(full.body, nipBudi) ||
		!strings.HasPrefix(full.header.Get("Content-Disposition"), `attachment; filename="ekspor-records-`) {
		t.Fatalf("download %d %q %.60q", full.status, full.header.Get("Content-Disposition"), full.body)
	}
	head := admin.doWith("GET", job+"/unduh", nil, map[string]string{"Range": "bytes=0-99"})
	rest := admin.doWith("GET", job+"/unduh", nil, map[string]string{"Range": "bytes=100-"})
	if head.status != fiber.StatusPartialContent || rest.status != fiber.StatusPartialContent || head.body+rest.body != full.body {
		t.Fatalf("ranges: %d %d, %d+%d bytes of %d", head.status, rest.status, len(head.body), len(rest.body), len(full.body))
	}
	files, _ := os.ReadDir(filepath.Join(w.st.Dir(), "ekspor"))
	if len(files) != 1 || strings.HasSuffix(files[0].Name(), ".part") {
		t.Errorf("export folder: %v", files)
	}
	if r := admin.get("/admin/ekspor"); !strings.Contains(r.body, strings.TrimPrefix(job, "/admin/ekspor/")) {
		t.Error("the page does not list the export")
	}
	v2 := w.as("v2")
	if r := v2.get(job); r.status != fiber.StatusNotFound {
		t.Errorf("another account's job: %d, want 404", r.status)
	}
	if r := v2.get(job + "/unduh"); r.status != fiber.StatusNotFound {
		t.Errorf("another account's file: %d, want 404", r.status)
	}
}

// TestExportPageScopesAndRefuses: a Level 2 verifier exports their instansi in XLSX and JSON
// Lines; naming another instansi is refused (403); a bad form re-renders with 422 and the
// message at each field.
func TestExportPageScopesAndRefuses(t *testing.T) {
	w := newWorld(t)
	v2 := w.as("v2")
	job := startExportAs(t, v2, url.Values{"kind": {"noncompliance"}, "format": {"jsonl"}})
	if r := v2.get(job + "/unduh"); !strings.HasPrefix(r.body, `{"nip":"`) || !strings.Contains(r.header.Get("Content-Type"), "ndjson") {
		t.Errorf("jsonl %q %.40q", r.header.Get("Content-Type"), r.body)
	}
	job = startExportAs(t, v2, url.Values{"kind": {"changes"}, "format": {"xlsx"}})
	if r := v2.get(job + "/unduh"); !strings.HasPrefix(r.body, "PK") {
		t.Errorf("xlsx starts %.4q", r.body)
	}
	v2.get("/admin/ekspor")
	if r := v2.post("/admin/ekspor", url.Values{"kind": {"records"}, "format": {"csv"}, "instansi": {"K01"}}); r.status != fiber.StatusForbidden {
		t.Errorf("another instansi: %d, want 403", r.status)
	}
	v2.get("/admin/ekspor")
	r := v2.post("/admin/ekspor", url.Values{"kind": {"records"}, "format": {"pdf"}, "dari": {"31-12-2026"}, "status": {"entah"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", r.status)
	}
	contains(t, "422 page", r.body, `id="msg-format"`, `id="msg-dari"`, "Pilih format berkas", `value="31-12-2026"`)
	r = v2.post("/admin/ekspor", url.Values{"kind": {"records"}, "format": {"csv"}, "status": {"entah"}})
	contains(t, "422 page", r.body, `id="msg-status"`)
}

// TestRunningExportPageReloadsItself: a job still running shows how far it has read, a progress
// bar, and reloads itself (meta refresh, no script); a failed one says why and does not reload.
func TestRunningExportPageReloadsItself(t *testing.T) {
	w := newWorld(t)
	h := New(w.st, w.cfg)
	j := &exportJob{id: "abc", req: store.ExportRequest{Kind: store.ExportRecords}, format: "csv", name: "x.csv", done: 512, tot: 1024}
	row := h.exportRow(j)
	if !row.Running || row.Percent != 50 || row.Progress != "512 dari 1.024 dibaca" || row.Done {
		t.Fatalf("row %+v", row)
	}
	var b strings.Builder
	if err := views.ExportJobPage(views.Meta{Title: "Ekspor", Refresh: 2}, row).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	contains(t, "running job page", b.String(), `<meta http-equiv="refresh" content="2">`, `<progress id="kemajuan" max="100" value="50">`, "512 dari 1.024 dibaca")
	if strings.Contains(b.String(), `id="unduh"`) {
		t.Error("a running job offers a download")
	}
	j.finished, j.err = true, store.ErrForbidden
	if row = h.exportRow(j); row.Running || row.Done || !strings.Contains(row.Error, "di luar lingkup") {
		t.Errorf("failed row %+v", row)
	}
}

// TestExportFilesOutliveARestartAndAge: an export finished before a restart is still listed and
// downloadable after it; one a restart cut short says so instead of running forever; a .part a
// kill left is removed; and a week later, when the next export begins, the old file and its job
// are gone, so daily exports never fill the disk.
func TestExportFilesOutliveARestartAndAge(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin")
	job := startExportAs(t, admin, url.Values{"kind": {"records"}, "format": {"csv"}})
	before := admin.get(job + "/unduh")
	dir := filepath.Join(w.st.Dir(), "ekspor")
	stray := filepath.Join(dir, "ekspor-records-x.csv.part")
	if err := os.WriteFile(stray, []byte("separuh"), 0o640); err != nil {
		t.Fatal(err)
	}
	cut := store.ExportFile{ID: "terputus", Owner: "admin", Kind: store.ExportChanges, Format: "csv", Name: "ekspor-changes-x.csv", Started: w.clock.Now()}
	if err := w.st.PutExportFile(cut); err != nil {
		t.Fatal(err)
	}

	w.restart()
	admin = w.as("admin")
	if after := admin.get(job + "/unduh"); after.status != fiber.StatusOK || after.body != before.body {
		t.Fatalf("after a restart the download answers %d with %d bytes, want the same %d", after.status, len(after.body), len(before.body))
	}
	if p := admin.get("/admin/ekspor/terputus"); !strings.Contains(p.body, `id="galat-ekspor"`) || !strings.Contains(p.body, "dimulai ulang") ||
		strings.Contains(p.body, `http-equiv="refresh"`) {
		t.Fatalf("the job a restart cut short:\n%s", p.body)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Errorf("the .part a kill left is still there: %v", err)
	}

	w.clock.Add(store.ExportKeep + time.Hour)
	admin = w.as("admin") // a week on, the session has expired
	fresh := startExportAs(t, admin, url.Values{"kind": {"noncompliance"}, "format": {"jsonl"}})
	if r := admin.get(job); r.status != fiber.StatusNotFound {
		t.Errorf("a job older than a week: %d, want 404", r.status)
	}
	files, _ := os.ReadDir(dir)
	freshID := strings.TrimPrefix(fresh, "/admin/ekspor/")
	if len(files) != 1 || !strings.HasSuffix(files[0].Name(), "-"+freshID[:6]+".jsonl") {
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		t.Errorf("export folder a week later: %v, want only the new file", names)
	}
	if got, _ := w.st.ExportFiles(); len(got) != 1 {
		t.Errorf("the store still records %d exports, want 1", len(got))
	}
}
