package bkn

import (
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
)

// natsLog sends an embedded server's log into the pupns log (slog). On the hub, a permissions
// violation by a leaf node is an error line that also names the office (by the NKey it logged in
// with), looked up while the offending connection is still open: the server closes it right after.
type natsLog struct {
	log *slog.Logger
	who func(lid uint64) string // the hub's Hub.officeOf; nil on an office
}

func (l *natsLog) Noticef(format string, v ...any) { l.log.Info(fmt.Sprintf(format, v...)) }
func (l *natsLog) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l *natsLog) Fatalf(format string, v ...any) {
	l.log.Error(fmt.Sprintf(format, v...), "fatal", true)
}
func (l *natsLog) Debugf(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *natsLog) Tracef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }

func (l *natsLog) Errorf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	m := lidRe.FindStringSubmatch(msg)
	if !strings.Contains(msg, "Violation") || m == nil || l.who == nil {
		l.log.Error(msg)
		return
	}
	lid, _ := strconv.ParseUint(m[1], 10, 64)
	l.log.Error(msg, "pelanggaran", true, "kantor", l.who(lid))
}

var lidRe = regexp.MustCompile(`lid(?:_ws)?:(\d+)`)
