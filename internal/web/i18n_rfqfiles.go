package web

import "github.com/sihub-org/sihub/internal/sihub"

// rfqFileTexts are the texts about the files of rounds and quotes.
var rfqFileTexts = map[string]sihub.Msg{
	"rfqfile.title":          text("Tệp đính kèm của đợt", "Files of the round"),
	"rfqfile.none":           text("Chưa có tệp đính kèm.", "No files attached yet."),
	"rfqfile.file":           text("Chọn tệp", "Choose a file"),
	"rfqfile.upload":         text("Tải lên", "Upload"),
	"rfqfile.limits":         text("PDF, ảnh, DXF, STEP, Excel, Word hoặc ZIP; tối đa 20 MB mỗi tệp và 20 tệp.", "PDF, images, DXF, STEP, Excel, Word or ZIP; at most 20 MB a file and 20 files."),
	"rfqfile.round.hint":     text("Mọi nhà cung cấp được mời đọc được các tệp này sau khi doanh nghiệp của họ chấp nhận điều khoản bảo mật của nhu cầu.", "Every invited supplier reads these files once its company has accepted the demand's confidentiality terms."),
	"rfqfile.closed":         text("Đợt đã đóng: không thể thêm hay xoá tệp.", "The round has closed: files can no longer be added or removed."),
	"rfqfile.locked":         text("Bên mua gửi kèm tệp (%d); chúng hiện ra sau khi doanh nghiệp của bạn chấp nhận điều khoản bảo mật.", "The buyer attached files (%d); they are shown once your company accepts the confidentiality terms."),
	"rfqfile.locked.link":    text("Đọc điều khoản bảo mật", "Read the confidentiality terms"),
	"rfqfile.buyer":          text("Tệp của bên mua", "The buyer's files"),
	"rfqfile.mine":           text("Tệp gửi kèm báo giá", "Files sent with your quote"),
	"rfqfile.mine.none":      text("Chưa có tệp nào gửi kèm báo giá.", "No files sent with your quote yet."),
	"rfqfile.mine.hint":      text("Tệp mới thuộc bản nháp và được gửi cùng lần báo giá tiếp theo; tệp đã gửi là một phần của hồ sơ báo giá và không thể xoá. Chỉ doanh nghiệp của bạn thấy tệp nháp.", "A new file belongs to the draft and goes with your next submission; a file once submitted is part of the quote's record and cannot be deleted. Only your company sees draft files."),
	"rfqfile.draft":          text("Nháp — gửi cùng lần báo giá tiếp theo", "Draft — goes with your next submission"),
	"rfqfile.rev":            text("Đã gửi cùng lần báo giá %d", "Sent with revision %d"),
	"rfqfile.rev.short":      text("lần %d", "rev. %d"),
	"rfqfile.quote":          text("Tệp kèm báo giá", "Files with the quote"),
	"rfqfile.new":            text("Tệp đính kèm cho các nhà cung cấp (không bắt buộc)", "Files for the suppliers (optional)"),
	"rfqfile.new.hint":       text("Có thể chọn nhiều tệp, tổng cộng tối đa 80 MB; thêm tệp khác trên trang của đợt. Nếu biểu mẫu báo lỗi, hãy chọn lại các tệp.", "You may choose several files, 80 MB together at most; add more on the round's page. If the form shows an error, choose the files again."),
	"flash.rfqfile.uploaded": text("Đã tải tệp lên.", "The file was uploaded."),
	"flash.rfqfile.deleted":  text("Đã xoá tệp.", "The file was deleted."),
}
