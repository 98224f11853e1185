package handlers

// Search and list benchmarks for `make bench` (issue 13): the same pages at 2,000 and at 250,000
// submissions waiting, each large case reported as a ratio over its small case measured in the same
// run (x-of-2000; the target is ≤ 1.3, i.e. no growth with the office):
//
//	BenchmarkSearch/inbox        GET /verifikasi, the first page of 50
//	BenchmarkSearch/common-name  ?cari=siti: about one PNS in fourteen is a Siti
//	BenchmarkSearch/nip          ?cari=<an 18-digit NIP, spaced as printed>
//	BenchmarkSearch/regno        ?cari=<a nomor registrasi>
//	BenchmarkSearch/nothing      ?cari=tidak+ada+nama+begini: a search that matches nothing
//	BenchmarkSearch/list-*       the monitoring lists behind the counters (/ringkasan/pns) as the
//	                             admin: every PNS; sent, of one SKPD; sent, of one unit; waiting at
//	                             Level 1 in an SKPD where nobody has sent (empty); and searched:
//	                             sent in SKPD U01 named Siti, sent with a NIP, every PNS for a name
//	                             nobody has (list-name, list-nip, list-nothing)
//
// The offices are built through the store's own API (PutMaster, Propose, Confirm, Kirim, PutUsers:
// every index kept by the code the server runs) with fsync off; the 250,000 office takes some
// minutes of the run on a quiet machine (one proposal and Kirim per PNS, 64 at a time), far more on
// a loaded one. PUPNS_BENCH_SEARCH_N replaces 250,000 (e.g. for a quick look).

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// bsOthers is how many PNS of SKPD U02 the offices hold besides the waiting ones: they never send.
const bsOthers = 300

// bsFirst and bsLast are the names the benchmark offices are made of, Indonesian and common; a few
// carry diacritics or titles, as master data does.
var (
	bsFirst = []string{"Siti", "Sri", "Nur", "Muhammad", "Ahmad", "Dewi", "Budi", "Agus", "Rina", "Eko", "Wahyu",
		"Dian", "Yuni", "Hendra", "Ratna", "Joko", "Putri", "Indah", "Bambang", "Fitri", "Rudi", "Lestari", "Teguh",
		"Ayu", "Bayu", "Kartika", "Sitï", "Andi", "Rizky", "Nurul", "Dwi", "Tri", "Heru", "Yusuf", "Aminah", "Fajar"}
	bsLast = []string{"Nurhayati", "Rahayu", "Wibowo", "Santoso", "Hidayat", "Setiawan", "Kurniawan", "Pratama",
		"Susanti", "Lestari", "Saputra", "Wulandari", "Hasanah", "Purnomo", "Nugroho", "Handayani", "Suryani",
		"Permana", "Firmansyah", "Maharani", "Ma'ruf", "Hakim", "Syahputra", "Ramadhan", "Anggraini", "Utami",
		"Gunawan", "Kusuma", "Sulistyo", "Yulianti", "Nurhadi", "Fauzi", "Harahap", "Siregar", "Nasution", "Tampubolon"}
	bsTitle = []string{"", "", "", "", ", S.Pd.", ", S.Kom.", ", S.E.", ", A.Md.", ", M.Si.", "Dr. "}
)

// bsName is the i-th PNS's name: first and last names drawn by a fixed hash of i, a title now and then.
func bsName(i int) string {
	h := uint64(i)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	h ^= h >> 29
	first, last, title := bsFirst[h%uint64(len(bsFirst))], bsLast[(h>>16)%uint64(len(bsLast))], bsTitle[(h>>32)%uint64(len(bsTitle))]
	if (h>>40)%3 == 0 { // a third has a middle name
		first += " " + bsFirst[(h>>48)%uint64(len(bsFirst))]
	}
	if title == "Dr. " {
		return title + first + " " + last
	}
	return first + " " + last + title
}

// bsOffice is a benchmark office: its running server, and a waiting PNS to look for.
type bsOffice struct {
	*bvOffice
	nip, regno string
}

// bsBuild makes an office whose SKPD U01 (and its unit U01.01) has n submissions waiting at Level 1,
// each with one line, beside bsOthers PNS of U02 who have not sent; one PNS in the middle has an
// account with a nomor registrasi.
func bsBuild(b *testing.B, n int) *bsOffice {
	dir, err := os.MkdirTemp("", "pupns-bench-search")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(storetest.SeedOrg(st))
	for lo := 0; lo < n+bsOthers; lo += 2000 {
		var in []store.MasterInput
		for i := lo; i < min(lo+2000, n+bsOthers); i++ {
			nip, born, sex, tmt := bvNIP(i)
			unit := []string{"U01", "U01.01"}[i%2]
			if i >= n {
				unit = "U02"
			}
			in = append(in, store.MasterInput{Line: i, Record: store.Record{NIP: nip, InstansiID: "P33", UnitID: unit, Fields: map[string]string{
				"nama": bsName(i), "tanggal_lahir": born, "jenis_kelamin": sex, "tmt_cpns": tmt,
				"no_hp": "081234567890", "alamat": "Jl. Pemuda No. 1, Semarang", "kode_pos": "50132"}}})
		}
		_, _, bad, err := st.PutMaster(in, "bench", "impor")
		must(err)
		if len(bad) > 0 {
			b.Fatalf("bench master refused: %v", bad)
		}
	}
	keys := store.AllCheckKeys()
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for range bvClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n && failed.Load() == nil; i = int(next.Add(1)) - 1 {
				nip, _, _, _ := bvNIP(i)
				a := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
				_, _, err := st.Propose(a, nip, "no_hp", fmt.Sprintf("0813%08d", i), "nomor baru")
				if err == nil {
					_, err = st.Confirm(a, nip, keys, true)
				}
				if err == nil {
					_, err = st.Kirim(a, nip)
				}
				if err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	o := &bsOffice{bvOffice: &bvOffice{}}
	o.nip, _, _, _ = bvNIP(n / 2)
	o.regno = store.NewRegNo(rand.NewPCG(uint64(n), 13))
	must(st.PutUsers([]store.User{{Login: "v1", Role: store.RoleV1, Name: "Verifikator", ScopeID: "U01", Hash: store.HashPassword(pw)},
		{Login: "admin", Role: store.RoleAdmin, Name: "Admin", Hash: store.HashPassword(pw)},
		{Login: o.nip, Role: store.RolePNS, NIP: o.nip, RegNo: o.regno, Status: store.StatusActive, Hash: store.HashPassword(pw)}}))
	o.serve(b, st, dir)
	return o
}

// bsRounds is how many alternating rounds (small office, then large, then large, then small, …)
// each case runs; the ratio reported is the median of the rounds' ratios, so that the load other
// work puts on the shared machine falls on both offices alike.
const bsRounds = 6

var (
	bsMu      sync.Mutex
	bsOffices = map[int]*bsOffice{}
)

// bsOfficeWith returns the run's office with n pending submissions, building it on first use.
func bsOfficeWith(b *testing.B, n int) *bsOffice {
	bsMu.Lock()
	defer bsMu.Unlock()
	if o, ok := bsOffices[n]; ok {
		return o
	}
	start := time.Now()
	o := bsBuild(b, n)
	b.Logf("office with %d pending submissions built in %s", n, time.Since(start).Round(time.Millisecond))
	bsOffices[n] = o
	return o
}

// BenchmarkSearch measures the inbox, its searches and the monitoring lists at 2,000 and at
// 250,000 waiting (see the top of this file), both offices in alternating rounds.
func BenchmarkSearch(b *testing.B) {
	large := 250_000
	if v, err := strconv.Atoi(os.Getenv("PUPNS_BENCH_SEARCH_N")); err == nil && v > 2000 {
		large = v
	}
	small, big := bsOfficeWith(b, 2000), bsOfficeWith(b, large)
	defer func() {
		bsMu.Lock()
		defer bsMu.Unlock()
		for n, o := range bsOffices {
			o.close()
			delete(bsOffices, n)
		}
	}()
	cs, cl := bsCases(small, 2000), bsCases(big, large)
	for i := range cs {
		bsMeasure(b, [2]*bsOffice{small, big}, [2]bsCase{cs[i], cl[i]})
	}
}

// bsCase is one measured page: who asks, the path, and what its answer must show.
type bsCase struct{ name, login, path, want string }

func bsCases(o *bsOffice, n int) []bsCase {
	list := func(q string) string { return "/ringkasan/pns?" + q }
	return []bsCase{
		{"inbox", "v1", "/verifikasi", fmt.Sprintf(`id="jumlah-masuk" sse-swap="jumlah">%d<`, n)},
		{"common-name", "v1", "/verifikasi?cari=siti", `href="/verifikasi/`},
		{"nip", "v1", "/verifikasi?cari=" + url.QueryEscape(store.FormatNIP(o.nip)), store.FormatNIP(o.nip)},
		{"regno", "v1", "/verifikasi?cari=" + strings.ToLower(o.regno), store.FormatNIP(o.nip)},
		{"nothing", "v1", "/verifikasi?cari=tidak+ada+nama+begini", "Tidak ada usulan yang cocok"},
		{"list-all", "admin", list("status=master"), fmtCount(n + bsOthers)},
		{"list-skpd", "admin", list("status=terkirim&skpd=U01"), fmtCount(n)},
		{"list-unit", "admin", list("status=terkirim&skpd=U01&unit=U01.01"), fmtCount(n / 2)},
		{"list-empty", "admin", list("status=" + store.CountLevel(1) + "&skpd=U02"), "Tidak ada PNS pada daftar ini"},
		{"list-name", "admin", list("status=terkirim&skpd=U01&cari=siti"), `id="tabel-pns"`},
		{"list-nip", "admin", list("status=terkirim&cari=" + o.nip), store.FormatNIP(o.nip)},
		{"list-nothing", "admin", list("status=master&cari=tidak+ada+nama+begini"), "yang cocok dengan pencarian"},
	}
}

// bsMeasure runs a case on both offices (after checking each answer once): bsRounds rounds of b.N
// requests each over one keep-alive connection per office, alternating which goes first. It
// reports the median per-request time of each and the median of the rounds' large ÷ small, in wall
// time (x-of-2000) and in the process's CPU time (cpu-x-of-2000, which the machine's other load
// disturbs less).
func bsMeasure(b *testing.B, offices [2]*bsOffice, cases [2]bsCase) {
	b.Run(cases[0].name, func(b *testing.B) {
		var clients [2]*bvClient
		for i, o := range offices {
			clients[i] = bvLogin(b, o.base, cases[i].login)
			if body := clients[i].get(b, cases[i].path); !strings.Contains(body, cases[i].want) {
				b.Fatalf("%s does not show %q", cases[i].path, cases[i].want)
			}
		}
		var wall, cpu [2][]float64
		var ratio, cpuRatio []float64
		b.ResetTimer()
		for r := range bsRounds {
			var w, c [2]float64
			for j := range 2 {
				i := j ^ r%2 // rounds alternate: small first, then large first
				t0, c0 := time.Now(), bsCPU()
				for range b.N {
					clients[i].get(b, cases[i].path)
				}
				w[i], c[i] = float64(time.Since(t0))/float64(b.N), float64(bsCPU()-c0)/float64(b.N)
				wall[i], cpu[i] = append(wall[i], w[i]), append(cpu[i], c[i])
			}
			ratio, cpuRatio = append(ratio, w[1]/w[0]), append(cpuRatio, c[1]/c[0])
		}
		b.ReportMetric(bsMedian(wall[0])/1e6, "small-ms")
		b.ReportMetric(bsMedian(wall[1])/1e6, "large-ms")
		b.ReportMetric(bsMedian(ratio), "x-of-2000")
		b.ReportMetric(bsMedian(cpuRatio), "cpu-x-of-2000")
	})
}

// bsCPU is the CPU time this process has used (user and system), in nanoseconds.
func bsCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func bsMedian(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}
