package imports

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"hrbridge/server/store"
)

// Collector reports the imports by status from the database at scrape time,
// so that every instance of a cluster shows the same truth:
// hrbridge_imports{status="running"} is what is running anywhere, and the
// finished statuses only grow (imports are kept as 連携履歴).
func Collector(db *gorm.DB) prometheus.Collector { return &collector{db: db} }

type collector struct{ db *gorm.DB }

var importsDesc = prometheus.NewDesc("hrbridge_imports", "Imports by status (from the database).", []string{"status"}, nil)

func (c *collector) Describe(ch chan<- *prometheus.Desc) { ch <- importsDesc }

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var rows []struct {
		Status string
		N      int64
	}
	if err := c.db.WithContext(ctx).Model(&store.Import{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		slog.Warn("metrics: count imports", "err", err)
		return
	}
	counts := map[string]int64{}
	for _, r := range rows {
		counts[r.Status] = r.N
	}
	for _, st := range []string{StatusQueued, StatusRunning, StatusSucceeded, StatusPartiallyFailed, StatusFailed, StatusCanceled} {
		ch <- prometheus.MustNewConstMetric(importsDesc, prometheus.GaugeValue, float64(counts[st]), st)
	}
}
