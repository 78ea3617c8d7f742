package web

import "github.com/sihub-org/sihub/internal/sihub"

// notificationTexts are the texts of the in-app notification list, the
// notes' own words (the list's text; the emails keep theirs), and the daily
// digest's sections.
var notificationTexts = map[string]sihub.Msg{
	"nav.notifications":       text("Thông báo", "Notifications"),
	"nav.notifications.count": text("%d chưa đọc", "%d unread"),

	"notifications.title":        text("Thông báo", "Notifications"),
	"notifications.intro":        text("Mọi tin về lời mời báo giá, đợt báo giá và hồ sơ của bạn, mới nhất trước. Danh sách luôn đầy đủ, dù bạn chọn nhận email ngay, bản tin hằng ngày hay không nhận email.", "All news of your invitations, rounds and cases, newest first. The list is always complete, whether you chose emails at once, a daily digest or no email."),
	"notifications.settings":     text("Đổi cách nhận email", "Change how you get emails"),
	"notifications.all":          text("Tất cả", "All"),
	"notifications.unread":       text("Chưa đọc", "Unread"),
	"notifications.empty":        text("Chưa có thông báo nào.", "No notifications yet."),
	"notifications.empty.unread": text("Không có thông báo chưa đọc.", "No unread notifications."),
	"notifications.new":          text("Mới", "New"),
	"notifications.open":         text("Mở", "Open"),
	"notifications.markread":     text("Đánh dấu đã đọc", "Mark read"),
	"notifications.markall":      text("Đánh dấu tất cả đã đọc", "Mark all read"),
	"notifications.older":        text("Cũ hơn →", "Older →"),
	"notifications.newest":       text("← Mới nhất", "← Newest"),
	"flash.notifications.read":   text("Đã đánh dấu đã đọc.", "Marked read."),

	// The list's text of each note (the email says more, with its links).
	"note.invite.body":   text("%s mời %s báo giá (đợt %d). Hạn chót: %s (giờ Việt Nam).", "%s invites %s to quote (round %d). Deadline: %s (Vietnam time)."),
	"note.extend.body":   text("Hạn chót của đợt %d được dời từ %s sang %s (giờ Việt Nam).", "The deadline of round %d moved from %s to %s (Vietnam time)."),
	"note.answer.body":   text("Hỏi: %s\nĐáp: %s", "Question: %s\nAnswer: %s"),
	"note.question.body": text("%s hỏi trong đợt %d: %s", "%s asks in round %d: %s"),
	"note.deadline.body": text("%s chưa trả lời đợt %d của nhu cầu %s (bên mua: %s). Hạn chót: %s (giờ Việt Nam).", "%s has not answered round %d of %s (buyer: %s). Deadline: %s (Vietnam time)."),
	"note.received.body": text("%s đã gửi báo giá (lần %d) trong đợt %d của nhu cầu %s. %s", "%s submitted a quote (revision %d) in round %d of %s. %s"),
	"note.closed.body":   text("Trong %d doanh nghiệp được mời: %d đã báo giá, %d từ chối, %d không trả lời.", "Of %d invited companies, %d quoted, %d declined and %d did not answer."),
	"note.overdue.body":  text("Bước tiếp theo của hồ sơ %s cho nhu cầu %s (giai đoạn: %s) đã quá hạn từ %s (giờ Việt Nam).", "The next step of %s's case for %s (stage: %s) has been due since %s (Vietnam time)."),

	// The daily digest when notifications wait for it.
	"digest.subject.notes": text("SIHub: bản tin hằng ngày — %d thông báo", "SIHub: daily digest — %d notifications"),
	"digest.subject.both":  text("SIHub: bản tin hằng ngày — %d cơ hội mới, %d thông báo", "SIHub: daily digest — %d new opportunities, %d notifications"),
	"digest.opportunities": text("Các nhu cầu mới phù hợp với %s kể từ bản tin trước:\n\n%s\nXem mọi cơ hội của doanh nghiệp: %s", "New demands matching %s since your last digest:\n\n%s\nSee all of the company's opportunities: %s"),
	"digest.notes":         text("Thông báo kể từ bản tin trước:\n\n%s\n\nXem mọi thông báo: %s", "Notifications since your last digest:\n\n%s\n\nSee all notifications: %s"),
	"digest.body": text("Xin chào %[1]s,\n\n%[2]s\n\nBạn nhận bản tin này vì đã chọn nhận thông báo hằng ngày. Đổi cách nhận trên trang Tài khoản: %[3]s\n\nSIHub — Trung tâm Phát triển Công nghiệp hỗ trợ TP.HCM",
		"Hello %[1]s,\n\n%[2]s\n\nYou receive this digest because you chose a daily digest. Change it on your account page: %[3]s\n\nSIHub — HCMC Supporting Industry Development Center"),
}
