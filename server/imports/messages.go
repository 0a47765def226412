package imports

import (
	"fmt"
	"strings"

	"hrbridge/server/errcatalog"
	"hrbridge/server/store"
)

// ResultMessage is why an employee failed or was skipped, written for
// people in lang by the error catalogue (nil for an employee that neither
// failed nor was skipped). direction is the import's.
func ResultMessage(direction string, r store.ImportResult, lang errcatalog.Lang) *errcatalog.Message {
	code := r.ErrorCode
	var f errcatalog.Failure
	switch {
	case code != "":
		f = errcatalog.Decode(r.ErrorMessage)
	case r.Status == ResultSkippedStale:
		code = errcatalog.CodeSkippedStale
	default:
		return nil
	}
	if f.Direction == "" {
		f.Direction = direction
	}
	m := errcatalog.Render(code, f, lang, errcatalog.ScreenImport)
	return &m
}

// DirectionLabelIn is the direction as the product's buttons name it.
func DirectionLabelIn(dir string, lang errcatalog.Lang) string {
	j2s := dir == "jobkan_to_smarthr"
	switch {
	case j2s && lang == errcatalog.En:
		return "Jobkan to SmartHR"
	case j2s:
		return "ジョブカンからSmartHRに取り込む"
	case lang == errcatalog.En:
		return "SmartHR to Jobkan"
	}
	return "SmartHRからジョブカンに取り込む"
}

// TitleIn is the notification's title and the mail's subject.
func TitleIn(imp store.Import, lang errcatalog.Lang) string {
	if lang == errcatalog.En {
		switch imp.Status {
		case StatusSucceeded:
			return "Jobkan integration: the import finished"
		case StatusPartiallyFailed:
			return "Jobkan integration: the import partly failed"
		case StatusFailed:
			return "Jobkan integration: the import failed"
		case StatusCanceled:
			return "Jobkan integration: the import was canceled"
		}
		return "Jobkan integration: import"
	}
	switch imp.Status {
	case StatusSucceeded:
		return "ジョブカン連携の取り込みが完了しました"
	case StatusPartiallyFailed:
		return "ジョブカン連携の取り込みが一部失敗しました"
	case StatusFailed:
		return "ジョブカン連携の取り込みに失敗しました"
	case StatusCanceled:
		return "ジョブカン連携の取り込みを中止しました"
	}
	return "ジョブカン連携の取り込み"
}

// BodyIn tells what an ended import did, in lang: the counts, then each
// failed employee (failed holds them in order, at most max are listed) by
// 社員番号 and name with what happened and what to do (and, with details,
// the technical detail), then link when given. Times state their zone.
func BodyIn(imp store.Import, failed []store.ImportResult, max int, link string, lang errcatalog.Lang, details bool) string {
	en := lang == errcatalog.En
	w := bodyLabels[en]
	var b strings.Builder
	fmt.Fprintf(&b, w.title+"\n", TitleIn(imp, lang), DirectionLabelIn(imp.Direction, lang))
	fmt.Fprintf(&b, w.by+"\n", imp.StartedBy)
	if imp.StartedAt != nil {
		fmt.Fprintf(&b, w.started+"\n", errcatalog.FormatTime(*imp.StartedAt, lang))
	}
	if imp.FinishedAt != nil {
		fmt.Fprintf(&b, w.finished+"\n", errcatalog.FormatTime(*imp.FinishedAt, lang))
	}
	b.WriteString("\n")
	for _, c := range []struct {
		label string
		n     int
	}{{w.selected, imp.Total}, {"  " + w.created, imp.CreatedCount}, {"  " + w.updated, imp.UpdatedCount},
		{"  " + w.unchanged, imp.UnchangedCount}, {"  " + w.skipped, imp.SkippedCount}, {"  " + w.failed, imp.FailedCount},
		{"  " + w.notDone, imp.Total - imp.Done}} {
		if c.label == "  "+w.notDone && c.n <= 0 {
			continue
		}
		fmt.Fprintf(&b, w.count+"\n", c.label, c.n)
	}
	if len(failed) > 0 {
		if en {
			b.WriteString("\nFailed employees (employee number, name: what happened and what to do)\n")
		} else {
			b.WriteString("\n失敗した従業員（社員番号 氏名: 内容と対処）\n")
		}
		for i, r := range failed {
			if i == max {
				break
			}
			m := ResultMessage(imp.Direction, r, lang)
			if m == nil {
				continue
			}
			name := oneLine(r.DisplayName)
			fmt.Fprintf(&b, "  %s %s: %s %s\n", r.EmployeeNumber, name, m.Message, m.Advice)
			if details && m.Detail != "" {
				if en {
					fmt.Fprintf(&b, "    Details (%s): %s\n", m.Code, clip(oneLine(m.Detail), 400))
				} else {
					fmt.Fprintf(&b, "    詳細（%s）: %s\n", m.Code, clip(oneLine(m.Detail), 400))
				}
			}
		}
		if more := imp.FailedCount - min(len(failed), max); more > 0 {
			if en {
				fmt.Fprintf(&b, "  and %d more (see the integration history)\n", more)
			} else {
				fmt.Fprintf(&b, "  ほか%d件（連携履歴で確認できます）\n", more)
			}
		}
	}
	if imp.SkippedCount > 0 {
		if en {
			b.WriteString("Skipped employees: reload the differences, check them, then import again.\n")
		} else {
			b.WriteString("スキップした従業員は、差分を再取得して確かめてから、もう一度取り込んでください。\n")
		}
	}
	if link != "" {
		if en {
			fmt.Fprintf(&b, "\nIntegration history: %s\n", link)
		} else {
			fmt.Fprintf(&b, "\n連携履歴: %s\n", link)
		}
	}
	return b.String()
}

// bodyWords are the words of an import's mail, by language (true: English);
// counts are in 件, as everywhere in the product.
type bodyWords struct {
	title, by, started, finished, count                             string
	selected, created, updated, unchanged, skipped, failed, notDone string
}

var bodyLabels = map[bool]bodyWords{
	false: {title: "%s（%s）", by: "実行者: %s", started: "開始: %s", finished: "終了: %s", count: "%s: %d件",
		selected: "選択した従業員", created: "新規登録", updated: "更新", unchanged: "差分なし",
		skipped: "スキップ（確認後にデータが変わったため）", failed: "失敗", notDone: "未実施（中止したため）"},
	true: {title: "%s (%s)", by: "Started by: %s", started: "Started: %s", finished: "Finished: %s", count: "%s: %d",
		selected: "Selected employees", created: "Created", updated: "Updated", unchanged: "Unchanged",
		skipped: "Skipped (the data changed after it was checked)", failed: "Failed", notDone: "Not done (canceled)"},
}
