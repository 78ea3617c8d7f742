package web

import "github.com/sihub-org/sihub/internal/sihub"

// rfqTexts are the words of the buyer's RFQ pages (rfqs.go): a demand's
// rounds and the form for a new one, a round with its quotes compared,
// the pipeline of cases, and the emails to invitees.
var rfqTexts = map[string]sihub.Msg{
	// A demand's rounds, and the new-round form (also on the demand page).
	"rfq.rounds.title":          text("Các đợt báo giá", "RFQ rounds"),
	"rfq.rounds.heading":        text("Các đợt báo giá của %s", "RFQ rounds for %s"),
	"rfq.rounds.none":           text("Chưa có đợt báo giá nào.", "No RFQ round yet."),
	"rfq.rounds.round":          text("Đợt", "Round"),
	"rfq.rounds.created":        text("Mở ngày", "Opened"),
	"rfq.rounds.deadline":       text("Hạn chót", "Deadline"),
	"rfq.rounds.invited":        text("Đã mời", "Invited"),
	"rfq.rounds.quoted":         text("Đã báo giá", "Quoted"),
	"rfq.rounds.declined":       text("Từ chối", "Declined"),
	"rfq.rounds.open":           text("Đang nhận báo giá", "Open for quotes"),
	"rfq.rounds.closed":         text("Đã hết hạn", "Closed"),
	"rfq.sealed":                text("Niêm phong", "Sealed"),
	"rfq.request":               text("Yêu cầu báo giá", "Request quotes"),
	"rfq.request.intro":         text("Chọn các nhà cung cấp sẽ được mời báo giá. Mỗi người của doanh nghiệp được mời nhận một email.", "Choose the suppliers to invite. Each person of an invited company gets an email."),
	"rfq.request.suppliers":     text("Nhà cung cấp được mời", "Suppliers to invite"),
	"rfq.request.match":         text("phù hợp", "match"),
	"rfq.request.near":          text("gần phù hợp", "near miss"),
	"rfq.request.none.center":   text("Trung tâm có thể tìm và mời nhà cung cấp khác cho bạn: hãy liên hệ trung tâm.", "The center can find and invite other suppliers for you: get in touch with it."),
	"rfq.request.none":          text("Chưa có nhà cung cấp phù hợp hay gần phù hợp để mời.", "There is no matching or nearly matching supplier to invite yet."),
	"rfq.request.more":          text("Mã doanh nghiệp khác (chỉ Trung tâm), cách nhau bởi dấu phẩy", "Other company ids (center only), separated by commas"),
	"rfq.request.message":       text("Lời nhắn cho nhà cung cấp", "Message to the suppliers"),
	"rfq.request.deadline":      text("Hạn chót nhận báo giá", "Deadline for quotes"),
	"rfq.request.deadline.hint": text("Giờ Việt Nam; bỏ trống giờ là hết ngày đã chọn.", "Vietnam time; without a time, the end of the chosen day."),
	"rfq.request.deadline.time": text("Giờ", "Time"),
	"rfq.request.sealed":        text("Niêm phong báo giá đến hạn chót (không ai xem được, kể cả bên mua)", "Seal the quotes until the deadline (nobody sees them, the buyer included)"),
	"rfq.request.submit":        text("Gửi yêu cầu báo giá", "Send the request for quotes"),
	"rfq.request.all":           text("Tất cả các đợt báo giá", "All RFQ rounds"),
	"rfq.request.tab":           text("Danh sách gồm các nhà cung cấp của thẻ đang xem; xem thẻ kia để mời những nhà cung cấp khác.", "The list holds the suppliers of the tab shown; switch tabs to invite others."),
	"rfq.pipeline":              text("Tiến trình với nhà cung cấp", "Supplier pipeline"),

	// A round.
	"rfq.title":               text("Đợt báo giá %d — %s", "RFQ round %d — %s"),
	"rfq.round.heading":       text("Đợt báo giá %d", "RFQ round %d"),
	"rfq.deadline":            text("Hạn chót", "Deadline"),
	"rfq.message":             text("Lời nhắn", "Message"),
	"rfq.volume":              text("Sản lượng năm", "Annual volume"),
	"rfq.targetprice":         text("Giá mục tiêu (không hiện với nhà cung cấp)", "Target price (never shown to suppliers)"),
	"rfq.extend":              text("Gia hạn", "Extend"),
	"rfq.extend.label":        text("Hạn chót mới (chỉ có thể lùi lại)", "New deadline (can only move later)"),
	"rfq.extend.history":      text("Đã gia hạn từ %s sang %s vào %s", "Extended from %s to %s on %s"),
	"rfq.invitees":            text("Nhà cung cấp được mời", "Invited suppliers"),
	"rfq.invitee.company":     text("Doanh nghiệp", "Company"),
	"rfq.invitee.state":       text("Trạng thái", "State"),
	"rfq.invitee.declined":    text("Lý do: %s", "Reason: %s"),
	"rfq.state.new":           text("Mới", "New"),
	"rfq.state.viewed":        text("Đã xem", "Viewed"),
	"rfq.state.draft":         text("Đang soạn", "Drafting"),
	"rfq.state.quoted":        text("Đã báo giá", "Quoted"),
	"rfq.state.declined":      text("Từ chối", "Declined"),
	"rfq.state.expired":       text("Hết hạn, không trả lời", "Expired unanswered"),
	"rfq.questions":           text("Câu hỏi làm rõ", "Clarification questions"),
	"rfq.questions.none":      text("Chưa có câu hỏi.", "No question yet."),
	"rfq.question.askedby":    text("Hỏi bởi %s", "Asked by %s"),
	"rfq.question.answer":     text("Trả lời (gửi tới mọi nhà cung cấp được mời, không nêu ai hỏi)", "Answer (sent to every invited supplier without saying who asked)"),
	"rfq.question.send":       text("Gửi câu trả lời", "Send the answer"),
	"rfq.question.unanswered": text("Chưa trả lời", "Not answered yet"),
	"rfq.quotes":              text("So sánh báo giá", "Quotes compared"),
	"rfq.quotes.sealed":       text("Đã nhận %d báo giá, niêm phong đến %s.", "%d quotes received, sealed until %s."),
	"rfq.quotes.none":         text("Chưa có báo giá nào.", "No quote yet."),
	"rfq.quotes.intro":        text("Giá theo số lượng áp dụng tại sản lượng năm của nhu cầu (%s); chi phí khuôn chia đều cho sản lượng đó.", "Price breaks applied at the demand's annual volume (%s); tooling spread over that volume."),
	"rfq.quotes.novolume":     text("Nhu cầu chưa có sản lượng năm: không tính được chi phí đơn vị. Hãy sửa nhu cầu.", "The demand has no annual volume: unit costs cannot be worked out. Edit the demand."),
	"rfq.quotes.best":         text("Giá trị tốt nhất của mỗi cột được tô đậm.", "The best value of each column is highlighted."),
	"rfq.rates":               text("Tỷ giá để so sánh", "Rates for the comparison"),
	"rfq.rates.to":            text("So sánh bằng", "Compare in"),
	"rfq.rates.rate":          text("1 %s = … VND", "1 %s = … VND"),
	"rfq.rates.apply":         text("Tính lại", "Recalculate"),
	"rfq.rateneeded":          text("cần tỷ giá %s", "rate needed (%s)"),
	"rfq.belowmoq":            text("dưới MOQ", "below MOQ"),
	"rfq.col.supplier":        text("Nhà cung cấp", "Supplier"),
	"rfq.col.unit":            text("Đơn giá tại sản lượng", "Unit price at volume"),
	"rfq.col.moq":             text("MOQ", "MOQ"),
	"rfq.col.tooling":         text("Khuôn, dụng cụ", "Tooling"),
	"rfq.col.landed":          text("Chi phí đơn vị", "Landed unit cost"),
	"rfq.col.sample":          text("Mẫu (ngày)", "Samples (days)"),
	"rfq.col.mass":            text("Hàng loạt (ngày)", "Mass production (days)"),
	"rfq.col.valid":           text("Hiệu lực đến", "Valid until"),
	"rfq.col.payment":         text("Thanh toán", "Payment terms"),
	"rfq.col.incoterm":        text("Incoterm", "Incoterm"),
	"rfq.col.revision":        text("Lần", "Revision"),
	"rfq.col.submitted":       text("Gửi lúc", "Submitted"),
	"rfq.col.notes":           text("Ghi chú", "Notes"),
	"rfq.revisions":           text("Các lần báo giá", "Revisions"),
	"rfq.revisions.of":        text("Các lần báo giá của %s", "Revisions from %s"),

	// The pipeline.
	"rfq.cases.title":            text("Tiến trình với nhà cung cấp", "Supplier pipeline"),
	"rfq.cases.heading":          text("Tiến trình với nhà cung cấp — %s", "Supplier pipeline — %s"),
	"rfq.cases.none":             text("Chưa có hồ sơ: mời nhà cung cấp báo giá để bắt đầu.", "No case yet: invite suppliers to quote to start."),
	"rfq.case.stage":             text("Giai đoạn", "Stage"),
	"rfq.case.owner":             text("Người phụ trách", "Owner"),
	"rfq.case.next":              text("Bước tiếp theo", "Next step"),
	"rfq.case.note":              text("Ghi chú", "Note"),
	"rfq.case.move":              text("Ghi nhận", "Record"),
	"rfq.case.overdue":           text("Quá hạn", "Overdue"),
	"rfq.case.award.summary":     text("Khi trúng thầu: giá trị hợp đồng; khi không chọn: lý do", "When awarding: the contract value; when losing: the reason"),
	"rfq.case.final":             text("Đã kết thúc", "Closed"),
	"rfq.case.awarded":           text("Hợp đồng %s (%s VND), %s %s/năm", "Contract %s (%s VND), %s %s a year"),
	"rfq.case.awarded.vnd":       text("Hợp đồng %s VND, %s %s/năm", "Contract %s VND, %s %s a year"),
	"rfq.case.value":             text("Giá trị hợp đồng (khi trao)", "Contract value (when awarding)"),
	"rfq.case.currency":          text("Tiền tệ", "Currency"),
	"rfq.case.rate":              text("Tỷ giá sang VND ngày trao", "Rate to VND on the award date"),
	"rfq.case.volume":            text("Sản lượng năm", "Annual volume"),
	"rfq.case.reason":            text("Lý do (khi loại)", "Reason (when lost)"),
	"rfq.owner.keep":             text("— giữ nguyên —", "— unchanged —"),
	"rfq.stage.invited":          text("Được mời", "Invited"),
	"rfq.stage.quoted":           text("Đã báo giá", "Quoted"),
	"rfq.stage.shortlisted":      text("Vào danh sách ngắn", "Shortlisted"),
	"rfq.stage.sample_requested": text("Đã yêu cầu mẫu", "Sample requested"),
	"rfq.stage.sample_approved":  text("Mẫu đạt", "Sample approved"),
	"rfq.stage.sample_rejected":  text("Mẫu không đạt", "Sample rejected"),
	"rfq.stage.factory_audit":    text("Đánh giá nhà máy", "Factory audit"),
	"rfq.stage.trial_order":      text("Đơn hàng thử", "Trial order"),
	"rfq.stage.awarded":          text("Trao hợp đồng", "Awarded"),
	"rfq.stage.lost":             text("Không được chọn", "Lost"),

	"flash.rfq.created":  text("Đã mở đợt báo giá và gửi email tới các nhà cung cấp được mời.", "The round is open and the invited suppliers have been emailed."),
	"flash.rfq.extended": text("Đã gia hạn; mọi nhà cung cấp được mời đã được báo.", "Extended; every invited supplier has been told."),
	"flash.rfq.answered": text("Đã gửi câu trả lời tới mọi nhà cung cấp được mời.", "The answer has been sent to every invited supplier."),
	"flash.rfq.moved":    text("Đã ghi nhận bước của hồ sơ.", "The case's step is recorded."),

	// Emails to invitees. Arguments: greeting, company, then as listed.
	"rfq.mail.nomessage":      text("(không có lời nhắn)", "(no message)"),
	"rfq.mail.sealed":         text("Báo giá được niêm phong đến hạn chót: không ai, kể cả bên mua, xem được trước đó.", "Quotes are sealed until the deadline: nobody, the buyer included, sees them before."),
	"rfq.mail.open":           text("Bên mua xem được báo giá ngay khi bạn gửi.", "The buyer sees quotes as soon as they are submitted."),
	"rfq.mail.invite.subject": text("Mời báo giá: %s", "Request for quotation: %s"),
	"rfq.mail.invite.body": text(`Chào %s,

%s được %s mời báo giá cho "%s" (đợt %d).
Hạn chót: %s (giờ Việt Nam).
%s

Lời nhắn của bên mua:
%s

Xem bản vẽ, đặt câu hỏi và báo giá tại:
%s

Đổi cách nhận email: %s
— SIHub`, `Hello %s,

%s is invited by %s to quote for "%s" (round %d).
Deadline: %s (Vietnam time).
%s

The buyer's message:
%s

See the drawings, ask questions and quote at:
%s

Change how you get emails: %s
— SIHub`),
	"rfq.mail.extend.subject": text("Gia hạn báo giá: %s", "Deadline extended: %s"),
	"rfq.mail.extend.body": text(`Chào %s,

Hạn chót báo giá của %s cho "%s" (đợt %d) đã được gia hạn:
từ %s sang %s (giờ Việt Nam).

Lời mời của bạn:
%s

Đổi cách nhận email: %s
— SIHub`, `Hello %s,

The deadline for %s's quote for "%s" (round %d) has been extended:
from %s to %s (Vietnam time).

Your invitation:
%s

Change how you get emails: %s
— SIHub`),
	"rfq.mail.answer.subject": text("Trả lời câu hỏi: %s", "Question answered: %s"),
	"rfq.mail.answer.body": text(`Chào %s,

Bên mua đã trả lời một câu hỏi về "%s" (đợt %d), gửi tới mọi nhà cung cấp được mời (%s là một trong số đó).

Câu hỏi:
%s

Trả lời:
%s

Lời mời của bạn:
%s

Đổi cách nhận email: %s
— SIHub`, `Hello %s,

The buyer has answered a question about "%s" (round %d), sent to every invited supplier (%s is one of them).

Question:
%s

Answer:
%s

Your invitation:
%s

Change how you get emails: %s
— SIHub`),
}
