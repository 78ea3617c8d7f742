package web

import "github.com/sihub-org/sihub/internal/sihub"

// opportunityTexts are the texts of the opportunity pages, the supply-gap
// view, the notification setting and the opportunity emails.
var opportunityTexts = map[string]sihub.Msg{
	"nav.opportunities": text("Cơ hội", "Opportunities"),
	"nav.gaps":          text("Thiếu nhà cung cấp", "Supply gaps"),

	// Opportunities
	"opportunity.title":      text("Cơ hội của %s", "Opportunities for %s"),
	"opportunity.crumb":      text("Cơ hội", "Opportunities"),
	"opportunity.intro":      text("Các nhu cầu đang mở mà doanh nghiệp đáp ứng đủ hoặc gần đủ yêu cầu, kèm lý do và những gì còn thiếu. Danh sách tự cập nhật khi hồ sơ năng lực thay đổi.", "Open demands the company meets or nearly meets, with the reasons and what is still missing. The list follows the company's profile as it changes."),
	"opportunity.unverified": text("Doanh nghiệp chưa được Trung tâm xác minh: nhu cầu của bên mua chỉ hiện với doanh nghiệp đã xác minh. Hãy hoàn thiện hồ sơ; Trung tâm sẽ liên hệ để xác minh.", "The center has not verified the company yet: buyers' demands are shown to verified companies only. Complete the profile; the center will get in touch to verify it."),
	"opportunity.none":       text("Hiện chưa có nhu cầu đang mở nào phù hợp với năng lực của doanh nghiệp.", "No open demand matches the company's capabilities at the moment."),
	"opportunity.count":      text("%s nhu cầu đáp ứng đủ yêu cầu, %s nhu cầu gần đạt.", "%s demands fully met, %s nearly met."),
	"opportunity.qualified":  text("Đáp ứng đủ", "Qualified"),
	"opportunity.near":       text("Gần đạt", "Near miss"),
	"opportunity.center":     text("Chỉ Trung tâm thấy", "Center only"),
	"opportunity.buyer":      text("Bên mua", "Buyer"),
	"opportunity.deadline":   text("Hạn chót", "Deadline"),
	"opportunity.processes":  text("Công nghệ yêu cầu", "Required processes"),
	"opportunity.reasons":    text("Vì sao phù hợp", "Why it fits"),
	"opportunity.gaps":       text("Còn thiếu", "Still missing"),
	"opportunity.nodeadline": text("không có", "none"),
	"opportunity.link":       text("Xem cơ hội của doanh nghiệp", "See your company's opportunities"),

	// Opportunity emails: a new one, and the daily digest.
	"opportunity.new.subject": text("SIHub: cơ hội mới — %s", "SIHub: a new opportunity — %s"),
	"opportunity.new.body": text("Xin chào %[1]s,\n\nMột nhu cầu mới trên SIHub phù hợp với %[2]s:\n\n%[3]s\nBên mua: %[4]s\nHạn chót: %[5]s\n\n%[6]s\n\nXem chi tiết, bản vẽ và điều khoản bảo mật tại:\n\n%[7]s\n\nBạn nhận thư này vì đã chọn nhận thông báo ngay khi có cơ hội mới. Để nhận bản tin hằng ngày hoặc ngừng nhận, hãy đổi trên trang Tài khoản: %[8]s\n\nSIHub — Trung tâm Phát triển Công nghiệp hỗ trợ TP.HCM",
		"Hello %[1]s,\n\nA new demand on SIHub matches %[2]s:\n\n%[3]s\nBuyer: %[4]s\nDeadline: %[5]s\n\n%[6]s\n\nSee the details, the drawings and the confidentiality terms at:\n\n%[7]s\n\nYou receive this email because you chose to hear of new opportunities at once. To get a daily digest instead, or nothing, change it on your account page: %[8]s\n\nSIHub — HCMC Supporting Industry Development Center"),
	"opportunity.mail.fits":      text("Vì sao phù hợp:", "Why it fits:"),
	"opportunity.mail.gaps":      text("Doanh nghiệp gần đạt yêu cầu; còn thiếu:", "The company nearly qualifies; still missing:"),
	"opportunity.mail.has":       text("Đã đáp ứng:", "Already met:"),
	"opportunity.digest.subject": text("SIHub: cơ hội mới (%d)", "SIHub: new opportunities (%d)"),
	"opportunity.digest.item":    text("• %[1]s\n  Bên mua: %[2]s — %[3]s — hạn chót: %[4]s\n%[5]s\n  %[6]s\n", "• %[1]s\n  Buyer: %[2]s — %[3]s — deadline: %[4]s\n%[5]s\n  %[6]s\n"),
	"opportunity.digest.body": text("Xin chào %[1]s,\n\nCác nhu cầu mới phù hợp với %[2]s kể từ bản tin trước:\n\n%[3]s\nXem mọi cơ hội của doanh nghiệp: %[4]s\n\nBạn nhận bản tin này vì đã chọn nhận thông báo hằng ngày. Đổi cách nhận trên trang Tài khoản: %[5]s\n\nSIHub — Trung tâm Phát triển Công nghiệp hỗ trợ TP.HCM",
		"Hello %[1]s,\n\nNew demands matching %[2]s since your last digest:\n\n%[3]s\nSee all of the company's opportunities: %[4]s\n\nYou receive this digest because you chose to hear of opportunities daily. Change it on your account page: %[5]s\n\nSIHub — HCMC Supporting Industry Development Center"),

	// Supply gaps
	"gaps.title":         text("Thiếu nhà cung cấp", "Supply gaps"),
	"gaps.intro":         text("Mọi nhu cầu đang mở với số nhà cung cấp đáp ứng đủ và gần đạt, nhu cầu ít nhà cung cấp nhất ở trên. Nhà cung cấp gần nhất là ứng viên cho chương trình đào tạo, tư vấn của Trung tâm.", "Every open demand with its counts of qualified and near-miss suppliers, those with the fewest suppliers first. The closest near miss is a candidate for the center's training and consulting programs."),
	"gaps.filter.none":   text("Chỉ nhu cầu chưa có nhà cung cấp đáp ứng đủ", "Only demands with no qualified supplier"),
	"gaps.filter.buyer":  text("Mã số thuế bên mua", "Buyer's tax code"),
	"gaps.filter.sector": text("Ngành (theo công nghệ yêu cầu)", "Sector (by required process)"),
	"gaps.filter.button": text("Lọc", "Filter"),
	"gaps.sector.all":    text("Mọi ngành", "All sectors"),
	"gaps.export":        text("Xuất XLSX", "Export XLSX"),
	"gaps.count":         text("%s nhu cầu.", "%s demands."),
	"gaps.empty":         text("Không có nhu cầu đang mở nào khớp bộ lọc.", "No open demand matches the filter."),
	"gaps.sheet":         text("Thiếu nhà cung cấp", "Supply gaps"),
	"gaps.col.buyertax":  text("MST bên mua", "Buyer tax code"),
	"gaps.col.buyer":     text("Bên mua", "Buyer"),
	"gaps.col.ref":       text("Mã tham chiếu", "Reference"),
	"gaps.col.title":     text("Nhu cầu", "Demand"),
	"gaps.col.processes": text("Công nghệ yêu cầu", "Required processes"),
	"gaps.col.qualified": text("Đáp ứng đủ", "Qualified"),
	"gaps.col.near":      text("Gần đạt", "Near misses"),
	"gaps.col.closest":   text("Nhà cung cấp gần nhất", "Closest near miss"),
	"gaps.col.gaps":      text("Còn thiếu", "Gaps"),
	"gaps.col.link":      text("Đường dẫn", "Link"),

	// Notification setting (account page)
	"account.notify":           text("Nhận thông báo qua email", "Email notifications"),
	"account.notify.intro":     text("SIHub báo cho bạn cơ hội mới, lời mời báo giá, câu hỏi và trả lời, báo giá nhận được, hạn chót sắp đến hay đã qua và bước quá hạn. Tin về báo giá luôn có trong danh sách Thông báo, cơ hội mới luôn có ở trang Cơ hội; chọn cách nhận email:", "SIHub tells you of new opportunities, invitations to quote, questions and answers, quotes received, deadlines coming or passed, and overdue steps. News of quotations is always in your Notifications list and new opportunities on your Opportunities page; choose how you get emails:"),
	"account.notify.immediate": text("Ngay lập tức: mỗi thông báo một email, gửi ngay", "Immediate: every notification emailed at once"),
	"account.notify.daily":     text("Hằng ngày: một email mỗi ngày gồm mọi thông báo", "Daily digest: one email a day with everything"),
	"account.notify.none":      text("Không nhận email: xem mọi tin trên SIHub", "None: no email; read everything on SIHub"),
	"account.notify.button":    text("Lưu cách nhận", "Save"),
	"flash.account.notify":     text("Đã lưu cách nhận thông báo.", "Your choice of notifications was saved."),
}
