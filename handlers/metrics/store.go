package metrics

import (
	"sort"

	"github.com/prometheus/client_golang/prometheus"
)

// The readings taken at scrape time.
var (
	descPNS      = prometheus.NewDesc("pupns_pns_by_state", "PNS of the office in each counted state (store/counters.go: master, terdaftar, aktif, terkirim, belum, level1-4, dikembalikan, selesai, tms).", []string{"state"}, nil)
	descStreams  = prometheus.NewDesc("pupns_live_streams_open", "Live event streams (server-sent events) open now.", nil, nil)
	descOutbox   = prometheus.NewDesc("pupns_outbox_messages", "E-mail messages in the outbox: waiting, being retried or given up.", nil, nil)
	descBackup   = prometheus.NewDesc("pupns_backup_newest_age_seconds", "Seconds since the newest backup was taken.", nil, nil)
	descBackupTS = prometheus.NewDesc("pupns_backup_newest_timestamp_seconds", "Unix time of the newest backup.", nil, nil)
	descDisk     = map[string]*prometheus.Desc{
		"free":    prometheus.NewDesc("pupns_disk_free_bytes", "Bytes pupns may still write on the data folder's filesystem.", nil, nil),
		"total":   prometheus.NewDesc("pupns_disk_total_bytes", "Size of the data folder's filesystem.", nil, nil),
		"reserve": prometheus.NewDesc("pupns_disk_reserve_bytes", "Free space under which /healthz and the summary page warn (--disk-reserve).", nil, nil),
		"full":    prometheus.NewDesc("pupns_disk_full", "1 while writes are refused for lack of space (or under 1 MiB is free), else 0.", nil, nil),
	}
	descDB = map[string]*prometheus.Desc{
		"size":       prometheus.NewDesc("pupns_db_file_size_bytes", "Size of the bbolt data file.", nil, nil),
		"free":       prometheus.NewDesc("pupns_db_free_pages", "Pages on bbolt's freelist, free for reuse.", nil, nil),
		"pending":    prometheus.NewDesc("pupns_db_pending_pages", "Pages freed by a write that an open read transaction may still see.", nil, nil),
		"freebytes":  prometheus.NewDesc("pupns_db_free_bytes", "Bytes in free pages.", nil, nil),
		"freelist":   prometheus.NewDesc("pupns_db_freelist_bytes", "Bytes the freelist itself takes.", nil, nil),
		"txopen":     prometheus.NewDesc("pupns_db_read_tx_open", "Read transactions open now.", nil, nil),
		"tx":         prometheus.NewDesc("pupns_db_read_tx_total", "Read transactions started.", nil, nil),
		"alloc":      prometheus.NewDesc("pupns_db_page_alloc_bytes_total", "Bytes of pages allocated by transactions.", nil, nil),
		"split":      prometheus.NewDesc("pupns_db_node_splits_total", "B+tree nodes split.", nil, nil),
		"spill":      prometheus.NewDesc("pupns_db_node_spills_total", "B+tree nodes spilled.", nil, nil),
		"rebalance":  prometheus.NewDesc("pupns_db_node_rebalances_total", "B+tree nodes rebalanced.", nil, nil),
		"writes":     prometheus.NewDesc("pupns_db_page_writes_total", "Page writes to the data file.", nil, nil),
		"write_time": prometheus.NewDesc("pupns_db_write_seconds_total", "Time spent writing pages to the data file.", nil, nil),
	}
)

// storeCollector reads Sources at each scrape. A source that fails yields an invalid metric
// (the page still shows the rest; promhttp.ContinueOnError) rather than a stale number.
type storeCollector struct{ src Sources }

// Describe sends every desc the collector may use.
func (s *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPNS, descStreams, descOutbox, descBackup, descBackupTS} {
		ch <- d
	}
	for _, m := range []map[string]*prometheus.Desc{descDB, descDisk} {
		for _, d := range m {
			ch <- d
		}
	}
}

// Collect takes the readings.
func (s *storeCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if s.src.Counts != nil {
		counts, err := s.src.Counts()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(descPNS, err)
		}
		states := make([]string, 0, len(counts))
		for st := range counts {
			states = append(states, st)
		}
		sort.Strings(states)
		for _, st := range states {
			gauge(descPNS, float64(counts[st]), st)
		}
	}
	if s.src.Streams != nil {
		gauge(descStreams, float64(s.src.Streams()))
	}
	if s.src.Outbox != nil {
		if n, err := s.src.Outbox(); err != nil {
			ch <- prometheus.NewInvalidMetric(descOutbox, err)
		} else {
			gauge(descOutbox, float64(n))
		}
	}
	if s.src.NewestBackup != nil {
		if t, ok := s.src.NewestBackup(); ok {
			gauge(descBackup, s.src.Now().Sub(t).Seconds())
			gauge(descBackupTS, float64(t.UnixNano())/1e9)
		}
	}
	s.collectDB(ch)
	s.collectDisk(ch)
}

// collectDisk reads the room on the data folder's filesystem.
func (s *storeCollector) collectDisk(ch chan<- prometheus.Metric) {
	if s.src.Disk == nil {
		return
	}
	d, err := s.src.Disk()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descDisk["free"], err)
		return
	}
	full := 0.0
	if d.Full {
		full = 1
	}
	for key, v := range map[string]float64{"free": float64(d.Free), "total": float64(d.Total), "reserve": float64(d.Reserve), "full": full} {
		ch <- prometheus.MustNewConstMetric(descDisk[key], prometheus.GaugeValue, v)
	}
}

// collectDB reads bbolt's statistics.
func (s *storeCollector) collectDB(ch chan<- prometheus.Metric) {
	if s.src.DB == nil {
		return
	}
	st, err := s.src.DB()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descDB["size"], err)
		return
	}
	put := func(key string, t prometheus.ValueType, v float64) {
		ch <- prometheus.MustNewConstMetric(descDB[key], t, v)
	}
	g, c := prometheus.GaugeValue, prometheus.CounterValue
	put("size", g, float64(st.FileBytes))
	put("free", g, float64(st.FreePages))
	put("pending", g, float64(st.PendingPages))
	put("freebytes", g, float64(st.FreeBytes))
	put("freelist", g, float64(st.FreelistBytes))
	put("txopen", g, float64(st.ReadTxOpen))
	put("tx", c, float64(st.ReadTxTotal))
	put("alloc", c, float64(st.PageAllocBytes))
	put("split", c, float64(st.Splits))
	put("spill", c, float64(st.Spills))
	put("rebalance", c, float64(st.Rebalances))
	put("writes", c, float64(st.Writes))
	put("write_time", c, st.WriteTime.Seconds())
}
