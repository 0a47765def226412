package sandbox

// Name data for the seeded scenario: kanji with katakana readings. A few rare
// and variant characters (髙, 𠮷 outside the BMP, 﨑) keep byte-for-byte
// round trips honest.
type name struct{ kanji, kana string }

var surnames = []name{
	{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
	{"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"},
	{"吉田", "ヨシダ"}, {"山田", "ヤマダ"}, {"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"},
	{"井上", "イノウエ"}, {"木村", "キムラ"}, {"林", "ハヤシ"}, {"斎藤", "サイトウ"}, {"清水", "シミズ"},
	{"山崎", "ヤマザキ"}, {"森", "モリ"}, {"池田", "イケダ"}, {"橋本", "ハシモト"}, {"阿部", "アベ"},
	{"石川", "イシカワ"}, {"山下", "ヤマシタ"}, {"中島", "ナカジマ"}, {"石井", "イシイ"}, {"小川", "オガワ"},
	{"前田", "マエダ"}, {"岡田", "オカダ"}, {"長谷川", "ハセガワ"}, {"藤田", "フジタ"}, {"後藤", "ゴトウ"},
	{"近藤", "コンドウ"}, {"村上", "ムラカミ"}, {"遠藤", "エンドウ"}, {"青木", "アオキ"}, {"坂本", "サカモト"},
	{"斉藤", "サイトウ"}, {"福田", "フクダ"}, {"太田", "オオタ"}, {"西村", "ニシムラ"}, {"藤井", "フジイ"},
	{"金子", "カネコ"}, {"岡本", "オカモト"}, {"藤原", "フジワラ"}, {"中野", "ナカノ"}, {"三浦", "ミウラ"},
	{"原田", "ハラダ"}, {"松田", "マツダ"}, {"竹内", "タケウチ"}, {"中山", "ナカヤマ"}, {"和田", "ワダ"},
	{"石田", "イシダ"}, {"上田", "ウエダ"}, {"森田", "モリタ"}, {"柴田", "シバタ"}, {"酒井", "サカイ"},
	{"工藤", "クドウ"}, {"横山", "ヨコヤマ"}, {"宮崎", "ミヤザキ"}, {"宮本", "ミヤモト"}, {"内田", "ウチダ"},
	{"高木", "タカギ"}, {"安藤", "アンドウ"}, {"谷口", "タニグチ"}, {"大野", "オオノ"}, {"丸山", "マルヤマ"},
	{"今井", "イマイ"}, {"武田", "タケダ"}, {"村田", "ムラタ"}, {"上野", "ウエノ"}, {"杉山", "スギヤマ"},
	{"髙橋", "タカハシ"}, {"𠮷田", "ヨシダ"}, {"山﨑", "ヤマサキ"}, {"渡邊", "ワタナベ"}, {"齋藤", "サイトウ"},
}

type given struct {
	name
	gender string // SmartHR's gender words
}

var givenNames = []given{
	{name{"翔太", "ショウタ"}, "male"}, {name{"大輔", "ダイスケ"}, "male"}, {name{"健太", "ケンタ"}, "male"},
	{name{"拓也", "タクヤ"}, "male"}, {name{"直樹", "ナオキ"}, "male"}, {name{"太郎", "タロウ"}, "male"},
	{name{"一郎", "イチロウ"}, "male"}, {name{"誠", "マコト"}, "male"}, {name{"浩", "ヒロシ"}, "male"},
	{name{"蓮", "レン"}, "male"}, {name{"悠真", "ユウマ"}, "male"}, {name{"陽翔", "ハルト"}, "male"},
	{name{"湊", "ミナト"}, "male"}, {name{"大和", "ヤマト"}, "male"}, {name{"隆之", "タカユキ"}, "male"},
	{name{"和彦", "カズヒコ"}, "male"}, {name{"修", "オサム"}, "male"}, {name{"慎吾", "シンゴ"}, "male"},
	{name{"陽菜", "ヒナ"}, "female"}, {name{"結衣", "ユイ"}, "female"}, {name{"美咲", "ミサキ"}, "female"},
	{name{"さくら", "サクラ"}, "female"}, {name{"愛", "アイ"}, "female"}, {name{"花子", "ハナコ"}, "female"},
	{name{"優子", "ユウコ"}, "female"}, {name{"由美", "ユミ"}, "female"}, {name{"恵", "メグミ"}, "female"},
	{name{"凛", "リン"}, "female"}, {name{"葵", "アオイ"}, "female"}, {name{"芽依", "メイ"}, "female"},
	{name{"裕子", "ユウコ"}, "female"}, {name{"祐子", "ユウコ"}, "female"}, {name{"真由美", "マユミ"}, "female"},
	{name{"明美", "アケミ"}, "female"}, {name{"彩", "アヤ"}, "female"}, {name{"ひかり", "ヒカリ"}, "female"},
	{name{"智子", "トモコ"}, "female"}, {name{"千尋", "チヒロ"}, "female"}, {name{"薫", "カオル"}, "female"},
}

// Employment types: SmartHR's names and Jobkan's work_kind codes (the
// default value map, DESIGN.md §2). The ids are fixed so that they read the
// same after any reset.
var employmentTypes = []struct {
	code             int
	id, name, preset string
	weight           int // share of the workforce, in percent
}{
	{1, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0001", "正社員", "full_timer", 60},
	{2, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0002", "契約社員", "contract_worker", 10},
	{3, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0003", "パート・アルバイト", "part_timer", 15},
	{4, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0004", "役員", "board_member", 3},
	{5, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0005", "非常勤役員", "part_time_board_member", 2},
	{6, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0006", "派遣社員", "temporary_worker", 5},
	{7, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0007", "業務委託", "contractor", 3},
	{8, "3b0d1e5c-6a0f-4e4b-9d1a-2f9c1a7e0008", "その他", "other", 2},
}

// Hyphens seen in Japanese phone numbers, besides "-".
var hyphens = []string{"ー", "−", "‐", "－", "―", "–"}
