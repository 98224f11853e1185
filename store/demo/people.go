package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// prof is a person's profession, which decides their education and functional ladder.
type prof int

const (
	pStaff prof = iota
	pTeacher
	pNurse
	pMidwife
	pDoctor
	pEngineer
	pPlanner
	pAuditor
)

// Education levels a person may hold (entry level first, later ones after TMT CPNS).
const (
	eSLTA = iota
	eD3
	eD4
	eS1
	eProfesi // S-1 followed by profesi (doctor, ners)
	eS2
)

// person is one PNS being generated: drawn in two passes, the skeleton for everyone first (so
// NIPs can be sorted), then the detail in NIP order.
type person struct {
	// unregistered: in the master data without an account, so the demo can show registration
	// (every unregisteredEvery-th PNS in NIP order).
	unregistered bool
	// skeleton: drawn first, in generation order, then sorted by NIP
	region     int
	sex        string
	unit       *orgUnit
	prof       prof
	dentist    bool
	edu        int // entry education
	eduYears   []int
	wantsHead  bool
	forceWrong bool
	birth      time.Time
	tmtCPNS    time.Time
	tmtPNS     time.Time
	nip        string
	// detail
	regNo    string
	fullName string
	wrong    []string
}

// gen is the generator: one PCG stream, drawn from in a fixed order, and what must stay unique.
type gen struct {
	rng      *rand.Rand
	now      time.Time
	today    time.Time // the latest date any generated value may carry
	units    []*orgUnit
	placeAt  []*orgUnit // units PNS are placed in, with cumulative weights
	placeCum []int
	heads    map[string]bool // structural titles already given
	regNos   map[string]bool
	emails   map[string]bool
}

// newGen makes the generator for a seed, with "today" the day before now.
func newGen(seed int64, now time.Time) *gen {
	g := &gen{
		rng:    rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		now:    now,
		units:  orgUnits(),
		heads:  map[string]bool{},
		regNos: map[string]bool{},
		emails: map[string]bool{},
	}
	y, m, d := now.Date()
	g.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	sum := 0
	for _, u := range g.units {
		if u.weight > 0 {
			sum += u.weight
			g.placeAt = append(g.placeAt, u)
			g.placeCum = append(g.placeCum, sum)
		}
	}
	return g
}

// intn returns a uniform int in [0, n).
func (g *gen) intn(n int) int { return g.rng.IntN(n) }

// between returns a uniform int in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

// chance is true with probability pct percent.
func (g *gen) chance(pct int) bool { return g.rng.IntN(100) < pct }

// pick returns a uniform element of xs.
func pick[T any](g *gen, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// weighted picks index i with probability w[i]/sum(w).
func (g *gen) weighted(w ...int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	r := g.rng.IntN(sum)
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// place picks the unit a PNS works in, by the units' weights.
func (g *gen) place() *orgUnit {
	r := g.rng.IntN(g.placeCum[len(g.placeCum)-1])
	i, _ := slices.BinarySearch(g.placeCum, r+1)
	return g.placeAt[i]
}

// ymd formats a date as the catalogue stores it.
func ymd(t time.Time) string { return t.Format("2006-01-02") }

// monthIdx numbers months from year 0, for month arithmetic.
func monthIdx(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// fromMonthIdx is the first day of the month monthIdx numbered i.
func fromMonthIdx(i int) time.Time {
	return time.Date(i/12, time.Month(i%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// clamp keeps a date from passing today.
func (g *gen) clamp(t time.Time) time.Time {
	if t.After(g.today) {
		return g.today
	}
	return t
}

// skeletons draws who each PNS is (unit, profession, education, birth date, TMT CPNS/PNS, sex),
// gives NIPs and returns the people sorted by NIP, so that records are written in key order.
func (g *gen) skeletons(n int) []*person {
	people := make([]*person, 0, n)
	seq := map[string]int{}
	nowY := g.today.Year()
	latestCPNS := monthIdx(g.today) - 24 // TMT PNS (12–24 months later) must not be in the future
	minBirth := max(1962, nowY-57)       // nobody at or past retirement age (58)
	maxBirth := min(1998, nowY-23)
	if maxBirth < minBirth {
		minBirth = maxBirth - 30
	}
	for i := 0; i < n; i++ {
		p := &person{}
		p.region = g.weighted(regionWeights...)
		if i == 0 {
			// The first PNS drawn works in the first SKPD (the operator's and the first Level 1
			// verifier's) and has something to correct: the console's sample walk-through.
			p.unit = g.units[1+g.intn(4)]
			p.forceWrong = true
		} else {
			p.unit = g.place()
		}
		p.prof = g.profFor(p.unit)
		p.sex = g.sexFor(p.prof)
		p.dentist = p.prof == pDoctor && g.chance(10)
		p.edu = g.eduFor(p.prof)
		if p.prof == pStaff || p.prof == pPlanner || p.prof == pEngineer || p.prof == pAuditor {
			p.wantsHead = p.edu >= eS1 && p.unit.kind != ukSchool && p.unit.kind != ukHospital && g.chance(9)
		}
		// Birth date and graduation years, then TMT CPNS after the last entry degree.
		for try := 0; ; try++ {
			by := g.between(minBirth, maxBirth)
			if try > 20 {
				by = minBirth + g.intn(8)
			}
			birth := time.Date(by, time.Month(1+g.intn(12)), 1, 0, 0, 0, 0, time.UTC)
			birth = birth.AddDate(0, 0, g.intn(daysIn(birth)))
			years := g.gradYears(p.edu, by)
			last := years[len(years)-1]
			// TMT CPNS: the first of a month after turning 19 and after the last degree, before 35.
			lo := max((last+1)*12, monthIdx(birth)+19*12+1)
			hi := min(monthIdx(birth)+35*12, latestCPNS)
			if lo > hi {
				continue
			}
			m := lo + g.intn(hi-lo+1)
			p.eduYears = years
			p.birth = birth
			p.tmtCPNS = fromMonthIdx(m)
			p.tmtPNS = fromMonthIdx(m + 12 + g.weighted(60, 10, 10, 5, 5, 3, 2, 2, 1, 1, 1, 0, 0)) // mostly after exactly one year
			break
		}
		prefix := p.birth.Format("20060102") + p.tmtCPNS.Format("200601") + p.sex
		seq[prefix]++
		p.nip = fmt.Sprintf("%s%03d", prefix, seq[prefix])
		people = append(people, p)
	}
	slices.SortFunc(people, func(a, b *person) int { return strings.Compare(a.nip, b.nip) })
	return people
}

// daysIn is the number of days in t's month.
func daysIn(t time.Time) int { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// profFor draws a profession plausible for the unit.
func (g *gen) profFor(u *orgUnit) prof {
	switch u.kind {
	case ukSchool:
		return []prof{pTeacher, pStaff}[g.weighted(85, 15)]
	case ukHospital:
		return []prof{pDoctor, pNurse, pMidwife, pStaff}[g.weighted(18, 50, 10, 22)]
	case ukHealth:
		return []prof{pDoctor, pNurse, pStaff}[g.weighted(12, 18, 70)]
	case ukWorks:
		return []prof{pEngineer, pStaff}[g.weighted(45, 55)]
	case ukPlanning:
		return []prof{pPlanner, pStaff}[g.weighted(45, 55)]
	case ukAudit:
		return []prof{pAuditor, pStaff}[g.weighted(55, 45)]
	}
	return pStaff
}

var femalePct = map[prof]int{pStaff: 40, pTeacher: 62, pNurse: 75, pMidwife: 100, pDoctor: 55, pEngineer: 15, pPlanner: 45, pAuditor: 45}

// sexFor draws a sex, with the share of women of the profession.
func (g *gen) sexFor(p prof) string {
	if g.chance(femalePct[p]) {
		return "2"
	}
	return "1"
}

// eduFor draws the entry education of the profession.
func (g *gen) eduFor(p prof) int {
	switch p {
	case pTeacher:
		return []int{eS1, eS2}[g.weighted(94, 6)]
	case pNurse:
		return []int{eD3, eProfesi}[g.weighted(65, 35)]
	case pMidwife:
		return []int{eD3, eD4}[g.weighted(80, 20)]
	case pDoctor:
		return eProfesi
	case pEngineer, pPlanner, pAuditor:
		return []int{eS1, eS2}[g.weighted(88, 12)]
	}
	return []int{eSLTA, eD3, eS1, eS2}[g.weighted(35, 15, 46, 4)]
}

// gradYears gives the graduation years SD, SLTP, SLTA and each higher entry degree.
func (g *gen) gradYears(edu, born int) []int {
	sd := born + 12 + g.weighted(70, 30)
	ys := []int{sd, sd + 3, sd + 6}
	last := sd + 6
	switch edu {
	case eD3:
		last += 3 + g.weighted(80, 20)
		ys = append(ys, last)
	case eD4:
		last += 4 + g.weighted(80, 20)
		ys = append(ys, last)
	case eS1:
		last += 4 + g.weighted(45, 35, 20)
		ys = append(ys, last)
	case eProfesi:
		last += 4 + g.weighted(60, 40)
		ys = append(ys, last)
		last += 1 + g.weighted(50, 50)
		ys = append(ys, last)
	case eS2:
		last += 4 + g.weighted(50, 50)
		ys = append(ys, last)
		last += 2 + g.weighted(60, 30, 10)
		ys = append(ys, last)
	}
	return ys
}
