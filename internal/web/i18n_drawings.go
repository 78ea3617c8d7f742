package web

import "github.com/sihub-org/sihub/internal/sihub"

// drawingTexts are the texts of a demand's drawings: the file list, the
// confidentiality terms a supplier accepts, the upload form and the
// download log (drawings.go, templates/_drawings.html).
var drawingTexts = map[string]sihub.Msg{
	"drawings.title": text("Bản vẽ và tài liệu kỹ thuật", "Drawings and specifications"),
	"drawings.none":  text("Chưa có bản vẽ hay tài liệu nào được đính kèm.", "No drawings or specifications are attached yet."),
	"drawings.accepted": text("Doanh nghiệp của bạn đã chấp nhận điều khoản bảo mật lúc %s (giờ Việt Nam). Mỗi lượt tải đều được ghi lại.",
		"Your company accepted the confidentiality terms on %s (Vietnam time). Every download is logged."),
	"drawings.locked": text("Nhu cầu này có %d tệp bản vẽ và tài liệu. Chúng chỉ hiện sau khi doanh nghiệp của bạn chấp nhận điều khoản bảo mật của bên mua dưới đây.",
		"This demand has %d drawing and specification files. They are shown only once your company accepts the buyer's confidentiality terms below."),
	"drawings.terms.changed": text("Điều khoản bảo mật đã thay đổi kể từ lần doanh nghiệp của bạn chấp nhận; hãy đọc và chấp nhận lại để xem bản vẽ.",
		"The confidentiality terms have changed since your company accepted them; read and accept them again to see the drawings."),
	"drawings.terms.title.standard": text("Điều khoản bảo mật tiêu chuẩn của Trung tâm", "The center's standard confidentiality terms"),
	"drawings.terms.title.buyer":    text("Điều khoản bảo mật của bên mua", "The buyer's confidentiality terms"),
	"drawings.terms.accept":         text("Tôi chấp nhận các điều khoản này thay mặt %s", "I accept these terms on behalf of %s"),
	"drawings.terms.binding": text("Việc chấp nhận ràng buộc doanh nghiệp của bạn; chỉ bấm nếu bạn được quyền thay mặt doanh nghiệp.",
		"Accepting binds your company; only do so if you may act on its behalf."),
	"drawings.file":   text("Tệp", "File"),
	"drawings.upload": text("Tải lên", "Upload"),
	"drawings.limits": text("PDF, ảnh (PNG, JPEG, WebP, GIF), bản vẽ DXF, mô hình STEP, Excel (.xlsx), Word (.docx) hoặc ZIP; tối đa 20 MiB. Nhà cung cấp chỉ xem được sau khi chấp nhận điều khoản bảo mật.",
		"PDF, images (PNG, JPEG, WebP, GIF), DXF drawings, STEP models, Excel (.xlsx), Word (.docx) or ZIP; at most 20 MiB. Suppliers see them only after accepting the confidentiality terms."),
	"drawings.log.title":   text("Nhật ký tải về", "Download log"),
	"drawings.log.none":    text("Chưa có ai tải tệp nào.", "Nobody has downloaded a file yet."),
	"drawings.log.when":    text("Thời điểm (giờ Việt Nam)", "When (Vietnam time)"),
	"drawings.log.who":     text("Người tải", "Who"),
	"drawings.log.company": text("Doanh nghiệp", "Company"),
	"drawings.log.file":    text("Tệp", "File"),
	"drawings.log.ip":      text("Địa chỉ IP", "IP address"),
	"drawings.log.center":  text("Trung tâm", "The center"),

	"flash.drawing.uploaded": text("Đã tải tệp lên.", "The file was uploaded."),
	"flash.drawing.deleted":  text("Đã xóa tệp.", "The file was deleted."),
	"flash.terms.accepted":   text("Đã chấp nhận điều khoản bảo mật; bạn có thể tải bản vẽ.", "The confidentiality terms are accepted; you can download the drawings."),

	// The center's standard terms, for demands whose buyer wrote none. A
	// change of this text (in either language) changes its digest, and
	// suppliers must accept the new wording before they see drawings again.
	"drawings.terms.standard": text(
		`Điều khoản bảo mật đối với bản vẽ và tài liệu kỹ thuật của nhu cầu này

1. Mục đích. Bản vẽ, thông số kỹ thuật và các tệp khác đính kèm nhu cầu này ("Tài liệu") được bên mua cung cấp chỉ để doanh nghiệp của bạn đánh giá và báo giá cho nhu cầu này. Doanh nghiệp không dùng Tài liệu vào mục đích nào khác, kể cả việc sản xuất hay chào bán chi tiết này hoặc chi tiết tương tự cho người khác.
2. Bảo mật. Doanh nghiệp giữ bí mật Tài liệu và bảo vệ chúng với mức cẩn trọng không thấp hơn mức dành cho thông tin mật của chính mình; không tiết lộ, công bố hay chuyển Tài liệu cho bất kỳ bên thứ ba nào, và trong nội bộ chỉ chia sẻ cho những nhân viên cần Tài liệu để lập báo giá và chịu cùng nghĩa vụ bảo mật.
3. Sao chép và thầu phụ. Chỉ sao chép Tài liệu trong phạm vi cần cho việc báo giá. Chỉ chuyển Tài liệu cho nhà thầu phụ khi bên mua đồng ý trước bằng văn bản, với điều kiện bảo mật không kém các điều khoản này.
4. Hoàn trả hoặc tiêu hủy. Khi bên mua yêu cầu, hoặc khi doanh nghiệp không báo giá hay không được chọn, doanh nghiệp hoàn trả hoặc tiêu hủy Tài liệu cùng mọi bản sao, và xác nhận bằng văn bản nếu được yêu cầu.
5. Quyền sở hữu. Tài liệu vẫn thuộc quyền sở hữu của bên mua; việc chấp nhận các điều khoản này không trao giấy phép hay quyền nào khác đối với Tài liệu.
6. Ghi nhật ký. SIHub ghi lại mọi lượt tải Tài liệu: ai tải, cho doanh nghiệp nào, từ địa chỉ nào và vào lúc nào; bên mua và Trung tâm xem được nhật ký này.
7. Thời hạn. Các nghĩa vụ này kéo dài năm năm kể từ khi chấp nhận, hoặc lâu hơn nếu pháp luật bảo hộ thông tin là bí mật kinh doanh. Chúng không áp dụng cho thông tin đã được công khai mà không do lỗi của doanh nghiệp, hoặc thông tin doanh nghiệp đã nắm giữ hợp pháp từ trước.
8. Luật áp dụng. Các điều khoản này được điều chỉnh theo pháp luật Việt Nam.`,
		`Confidentiality terms for this demand's drawings and specifications

1. Purpose. The drawings, specifications and other files attached to this demand (the "Documents") are disclosed by the buyer solely so that your company can assess and quote for this demand. Your company will not use them for any other purpose, including making or offering this part or similar parts to anyone else.
2. Confidentiality. Your company keeps the Documents confidential and protects them with no less care than it gives its own confidential information. It does not disclose, publish or pass them on to any third party, and within the company shares them only with employees who need them to prepare the quotation and who are bound by the same obligations.
3. Copies and subcontractors. Copies are made only as far as the quotation needs them. The Documents go to a subcontractor only with the buyer's prior written consent, under terms no less protective than these.
4. Return or destruction. At the buyer's request, or when your company decides not to quote or is not selected, it returns or destroys the Documents and every copy, and confirms this in writing if asked.
5. Ownership. The Documents remain the buyer's property; accepting these terms grants no licence or other right to them.
6. Logging. SIHub records every download of the Documents: who downloaded them, for which company, from which address and when; the buyer and the center see this record.
7. Duration. These obligations last five years from acceptance, or longer where the law protects the information as a trade secret. They do not cover information that became public through no fault of your company, or that your company already lawfully held.
8. Governing law. These terms are governed by the law of Vietnam.`),
}
