/**
 * The seller center's words for what went wrong, in Vietnamese only, keyed by the API's error
 * `code` (`{ error: { code } }`, a failed photo's `error.code`) and by the few codes the pages
 * make themselves (`network`, `http.<status>`, `upload.failed`). The seller center, the
 * cooperative board and the admin screens show these, never the API's `message` text; a code
 * missing here falls back to the words for its HTTP status. Each says what to do next.
 */
export const SELLER_MESSAGES = {
  // The connection and plain HTTP statuses (answers without a known code).
  network: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
  'http.400': 'Thông tin gửi lên chưa đúng. Kiểm tra lại rồi gửi lại.',
  'http.401': 'Phiên đăng nhập đã hết hạn, hãy đăng nhập lại.',
  'http.403': 'Tài khoản của bạn không được làm việc này.',
  'http.404': 'Không tìm thấy. Có thể mục này đã bị xoá.',
  'http.409': 'Dữ liệu vừa thay đổi ở nơi khác. Tải lại trang rồi thử lại.',
  'http.413': 'Dữ liệu gửi lên quá lớn.',
  'http.429': 'Bạn thao tác quá nhanh, hãy đợi một lát rồi thử lại.',
  'http.500': 'Máy chủ đang gặp sự cố, hãy thử lại sau ít phút.',
  'http.other': 'Yêu cầu chưa thực hiện được. Hãy thử lại.',
  'request.invalid': 'Thông tin gửi lên chưa đúng. Hãy sửa các ô được đánh dấu.',
  'request.invalid_cursor': 'Danh sách đã thay đổi. Hãy tải lại trang.',
  'request.too_large': 'Dữ liệu gửi lên quá lớn.',
  'request.not_found': 'Không tìm thấy. Có thể mục này đã bị xoá.',
  'request.rate_limited': 'Bạn thao tác quá nhanh, hãy đợi một lát rồi thử lại.',
  'product.changed': 'Sản phẩm vừa được sửa ở nơi khác. Tải lại trang rồi thử lại.',
  'producer.changed': 'Hồ sơ vừa được sửa ở nơi khác. Tải lại trang rồi thử lại.',
  // Changes queued offline and sent again (shared/seller/idempotency.ts).
  'idempotency.in_flight': 'Thay đổi này đang được áp dụng. Hệ thống sẽ gửi lại sau vài giây.',
  'idempotency.key_reused':
    'Thay đổi này trùng với một thay đổi khác đã gửi. Hãy bỏ nó khỏi hàng chờ rồi làm lại.',
  'idempotency.key_invalid': 'Thay đổi này không gửi được. Hãy bỏ nó khỏi hàng chờ rồi làm lại.',

  // Sign-in and accounts.
  'auth.missing': 'Phiên đăng nhập đã hết hạn, hãy đăng nhập lại.',
  'auth.unauthorized': 'Phiên đăng nhập đã hết hạn, hãy đăng nhập lại.',
  'auth.code_invalid': 'Mã không đúng hoặc đã hết hạn. Kiểm tra tin nhắn hoặc bấm “Gửi lại mã”.',
  'auth.locked': 'Nhập sai quá nhiều lần, số này bị khoá 15 phút. Hãy thử lại sau.',
  'auth.too_many_codes': 'Đã gửi quá nhiều mã cho số này. Hãy thử lại sau 15 phút.',
  'auth.too_many_requests': 'Quá nhiều yêu cầu. Hãy thử lại sau 15 phút.',
  'auth.admins_only': 'Chỉ quản trị viên sàn mới làm được việc này.',
  'identity.bad_state': 'Phiên định danh không hợp lệ, đã dùng hoặc đã hết hạn. Hãy bắt đầu lại.',
  'identity.rejected': 'Không xác nhận được định danh điện tử. Hãy thử lại từ đầu.',
  'identity.not_linked':
    'Định danh điện tử này chưa liên kết với tài khoản nào. Hãy đăng nhập bằng số điện thoại, rồi chọn “Liên kết định danh điện tử”.',
  'identity.linked_elsewhere':
    'Định danh điện tử này đã liên kết với một tài khoản khác. Hãy đăng nhập bằng số điện thoại của tài khoản đó.',
  'identity.account_verified': 'Tài khoản này đã định danh điện tử rồi.',
  'identity.unavailable': 'Không kết nối được nhà cung cấp định danh. Hãy thử lại sau.',
  'identity.not_configured': 'Đăng nhập bằng định danh điện tử chưa được bật.',
  'identity.sign_in_unavailable':
    'Chưa đăng nhập được bằng định danh điện tử ở đây. Hãy đăng nhập bằng số điện thoại.',
  'identity.not_linked_account': 'Tài khoản này chưa liên kết định danh điện tử.',
  'identity.unlink_unavailable':
    'Liên kết này được tạo trước khi có chức năng hủy. Hãy liên hệ quản trị sàn để hủy liên kết.',
  'identity.sign_in_again':
    'Đã cập nhật liên kết định danh điện tử. Hãy bấm “Đăng nhập bằng định danh điện tử” thêm một lần.',
  'audit.not_allowed': 'Bạn không được xem nhật ký này.',

  // Producers, membership, verification.
  'producer.required': 'Hãy đăng ký nhà sản xuất ở trang Tổng quan trước.',
  'producer.not_found': 'Không tìm thấy nhà sản xuất.',
  'producer.not_verified': 'Nhà sản xuất chưa được xác minh nên chưa gửi duyệt được. Hãy chờ xác minh.',
  'producer.already_signed_up': 'Tài khoản này đã đăng ký nhà sản xuất. Tải lại trang để xem.',
  'producer.already_decided': 'Hồ sơ này đã được quyết định. Tải lại trang để xem.',
  'producer.admins_only': 'Chỉ quản trị viên sàn mới xác minh được.',
  'cooperative.not_found': 'Không tìm thấy hợp tác xã đã xác minh. Hãy chọn trong danh sách.',
  'cooperative.not_yours': 'Chỉ quản lý hợp tác xã này xem được.',
  'membership.exists': 'Bạn đã xin gia nhập hoặc đã là thành viên.',
  'membership.not_household': 'Chỉ hộ sản xuất mới gia nhập hợp tác xã.',
  'membership.not_requested': 'Không có yêu cầu gia nhập nào đang chờ.',
  'membership.not_your_cooperative': 'Chỉ quản lý của hợp tác xã đó được quyết định.',
  'membership.not_yours': 'Chỉ chính hộ sản xuất mới xin gia nhập được.',

  // Listings and stock.
  'product.not_found': 'Không tìm thấy sản phẩm. Có thể sản phẩm đã bị xoá.',
  'product.not_yours': 'Bạn không quản lý sản phẩm này.',
  'product.not_reviewer': 'Bạn không duyệt sản phẩm này.',
  'product.not_draft': 'Chỉ gửi duyệt được bản nháp.',
  'product.not_in_review': 'Sản phẩm này không còn chờ duyệt. Tải lại trang để xem.',
  'product.archived': 'Sản phẩm đã lưu trữ nên không sửa được.',
  'product.unknown_pack': 'Có gói không còn trên sản phẩm. Tải lại trang rồi sửa lại.',
  'product.not_member': 'Hộ này không phải thành viên hợp tác xã của bạn.',
  'product.variant_count': 'Số gói của sản phẩm vượt giới hạn. Hãy bỏ bớt gói rồi lưu lại.',
  'product.listing_cap': 'Đã đủ số sản phẩm tối đa. Hãy lưu trữ sản phẩm cũ trước khi thêm.',
  'stock.negative': 'Không đủ hàng trong kho để bớt chừng đó gói.',
  'stock.changed':
    'Số gói vừa thay đổi (có đơn hàng hoặc sửa từ máy khác). Tải lại trang để xem số mới rồi chọn số muốn giữ.',
  'consent.invalid': 'Mã đồng ý không đúng hoặc đã hết hạn. Hãy hỏi lại hộ.',
  'consent.locked': 'Nhập sai mã đồng ý quá nhiều lần. Hãy xin mã mới cho hộ.',
  'consent.not_member': 'Hộ này không phải thành viên hợp tác xã của bạn.',
  'consent.too_many_codes': 'Đã gửi quá nhiều mã đồng ý cho hộ này. Hãy thử lại sau 15 phút.',

  // Photos.
  'photo.not_found': 'Không tìm thấy ảnh. Có thể ảnh đã bị xoá.',
  'photo.too_many': 'Mỗi sản phẩm có tối đa 12 ảnh. Hãy xoá bớt ảnh cũ.',
  'photo.order_mismatch': 'Danh sách ảnh vừa thay đổi. Tải lại trang rồi sắp xếp lại.',
  'photo.upload_missing': 'Ảnh chưa được tải lên trong 1 giờ. Hãy chọn lại ảnh.',
  'photo.timeout': 'Ảnh xử lý quá lâu. Tải lại trang sau ít phút để xem.',
  'photo.unsupported': 'Chỉ nhận ảnh JPEG, PNG, WebP hoặc AVIF.',
  'photo.empty': 'Tệp ảnh trống. Hãy chọn ảnh khác.',
  'upload.failed': 'Tải ảnh lên không thành công. Hãy thử lại.',
  'image.too_large': 'Ảnh quá lớn (tối đa 15 MB). Hãy chụp lại ở chất lượng thấp hơn.',
  'image.bad_shape': 'Ảnh quá dài hoặc quá hẹp (tối đa 5:1). Hãy cắt ảnh rồi tải lại.',
  'image.corrupt': 'Tệp ảnh bị hỏng hoặc chưa tải lên hết. Hãy tải lên lại.',
  'image.heic_unsupported':
    'Ảnh HEIC chưa được hỗ trợ: hãy chọn ảnh JPEG (trên iPhone: Cài đặt → Camera → Định dạng → Tương thích nhất).',
  'image.too_many_pixels': 'Ảnh quá 40 megapixel. Hãy chụp ở cỡ nhỏ hơn.',
  'image.unsupported': 'Chỉ nhận ảnh JPEG, PNG, WebP hoặc AVIF.',

  // Lots, labels, OCOP.
  'lot.not_found': 'Không tìm thấy lô hàng với mã này.',
  'lot.future_harvest': 'Ngày thu hái không thể ở tương lai.',
  'lot.household_not_member': 'Hộ trồng phải là thành viên của hợp tác xã.',
  'ocop.not_found': 'Không tìm thấy chứng nhận.',
  'ocop.already_decided': 'Chứng nhận này đã được quyết định. Tải lại trang để xem.',
  'ocop.admins_only': 'Chỉ quản trị viên sàn mới xác minh chứng nhận.',
  'ocop.unknown_scan': 'Hãy tải ảnh chụp giấy chứng nhận lên trước.',

  // The cooperative board's orders and refunds.
  'order.not_found': 'Không tìm thấy đơn hàng.',
  'order.sub_not_found': 'Đơn hàng không có phần của hợp tác xã bạn.',
  'order.forbidden': 'Bạn không quản lý phần đơn hàng này.',
  'order.not_producer': 'Chỉ nhà sản xuất xem được mục này.',
  'order.busy': 'Đơn hàng đang được cập nhật. Hãy thử lại.',
  'order.changed': 'Đơn hàng vừa thay đổi ở nơi khác. Tải lại trang rồi thử lại.',
  'order.transition_refused': 'Đơn đã chuyển sang bước khác. Tải lại trang để xem bước tiếp theo.',
  'order.tracking_required': 'Hãy nhập đơn vị vận chuyển và mã vận đơn.',
  'order.cash_required': 'Đơn COD: hãy xác nhận đã thu tiền mặt.',
  'order.already_cancelled': 'Đơn hàng đã bị huỷ.',
  'payment.part_refunded': 'Phần đơn của hợp tác xã bạn đã được hoàn đủ.',
  'payment.refund_forbidden': 'Đơn này không có phần nào của hợp tác xã bạn.',
  'payment.amount_too_large': 'Số tiền hoàn lớn hơn số còn lại của phần đơn.',
  'market.not_yours': 'Bạn chỉ xem được thị trường của sản phẩm của chính mình.',
  'market.not_your_cooperative': 'Chỉ quản lý của hợp tác xã này được xem và đặt giá tham chiếu.',
  'market.effective_date_out_of_range': 'Ngày áp dụng phải trong vòng một năm trước hoặc sau hôm nay.',

  // Pre-orders: the board's windows, allocation and weighing, and the shopper's reservation.
  'preorder.forbidden': 'Bạn không quản lý đặt trước của đơn vị này. Hãy chọn đúng hợp tác xã của bạn.',
  'preorder.not_found': 'Không tìm thấy đợt đặt trước này. Tải lại trang để xem danh sách mới.',
  'preorder.product_not_found':
    'Không tìm thấy sản phẩm này trong các sản phẩm bạn giao hàng. Hãy chọn sản phẩm trong danh sách.',
  'preorder.product_not_published':
    'Sản phẩm chưa được duyệt bán (hoặc nhà sản xuất chưa được xác minh) nên chưa mở đặt trước được.',
  'preorder.closes_in_past': 'Ngày đóng đặt trước đã qua. Hãy chọn ngày đóng từ hôm nay trở đi.',
  'preorder.households_invalid':
    'Đặt trước của hộ độc lập chỉ có một hộ là chính mình. Hãy bỏ các hộ khác ra khỏi danh sách.',
  'preorder.no_households':
    'Hợp tác xã chưa có hộ thành viên nào. Hãy duyệt hộ thành viên trước khi mở đặt trước.',
  'preorder.not_members': 'Có hộ không phải thành viên của hợp tác xã. Hãy chọn lại các hộ trong danh sách.',
  'preorder.still_open': 'Đợt đặt trước còn mở. Chỉ phân bổ được sau ngày đóng đặt trước.',
  'preorder.unknown_household':
    'Có hộ không tham gia đợt đặt trước này. Chỉ nhập sản lượng cho các hộ của đợt.',
  'preorder.picking_missing':
    'Còn hộ có đơn đặt trước đã đặt cọc mà chưa nhập sản lượng. Hãy nhập sản lượng cho mọi hộ đó (nhập 0 nếu hộ không có hàng).',
  'preorder.reservation_not_found': 'Không tìm thấy đơn đặt trước này. Tải lại trang để xem.',
  'preorder.not_allocated':
    'Đợt đặt trước chưa được phân bổ. Hãy phân bổ sản lượng các hộ trước khi cân hàng.',
  'preorder.settled': 'Đơn này đã được cân và tính tiền rồi. Tải lại trang để xem số tiền.',
  'preorder.not_packed': 'Hãy chuyển đơn sang “đã đóng gói” rồi nhập khối lượng thực tế.',
  'preorder.weights_mismatch': 'Hãy nhập khối lượng thực tế cho đúng từng gói của đơn.',
  'preorder.not_settled': 'Đơn đặt trước chưa được cân. Hãy nhập khối lượng thực tế trước khi gửi hàng.',
  'preorder.balance_unpaid':
    'Người mua chưa thanh toán phần còn lại. Hãy chờ người mua thanh toán rồi mới gửi hàng.',
  'preorder.no_balance_due': 'Đơn này không còn khoản nào cần thanh toán trực tuyến.',
  'preorder.balance_lapsed': 'Đã quá hạn thanh toán phần còn lại của đơn đặt trước.',
  'preorder.balance_processing':
    'Khoản thanh toán phần còn lại đang được xử lý. Hãy đợi vài phút rồi tải lại trang.',
  'preorder.deposit_online_only':
    'Tiền cọc đặt trước chỉ thanh toán trực tuyến (VNPay hoặc chuyển khoản VietQR); phần còn lại có thể trả khi nhận hàng.',
  'preorder.not_enough_left': 'Đợt đặt trước không còn đủ hàng. Hãy giảm số lượng.',
  'preorder.not_open': 'Đợt đặt trước chưa mở hoặc đã đóng. Xem lại ngày mở và ngày đóng của đợt.',
  'preorder.unknown_pack': 'Đợt đặt trước không có gói này. Tải lại trang rồi chọn lại gói.',
  'preorder.busy': 'Đợt đặt trước đang có nhiều người đặt cùng lúc. Hãy thử lại sau giây lát.',

  // Reviews from buyers (reply, hide).
  'review.not_found': 'Không tìm thấy đánh giá. Có thể đánh giá đã bị ẩn.',
  'review.not_yours': 'Chỉ người bán sản phẩm này (hoặc hợp tác xã của họ) mới trả lời được.',
  'review.reply_exists': 'Đánh giá này đã có câu trả lời; mỗi đánh giá chỉ trả lời một lần.',
  'review.hidden': 'Đánh giá này đã bị ẩn.',
  'review.already_hidden': 'Đánh giá này đã bị ẩn rồi.',
} as const satisfies Record<string, string>;

export type SellerMessageCode = keyof typeof SELLER_MESSAGES;

/** The words for a known code (the type keeps server code lists and the table in step). */
export function sellerMessage(code: SellerMessageCode): string {
  return SELLER_MESSAGES[code];
}

/** The words for an HTTP status with no known code. */
export function statusMessage(status: number): string {
  if (status === 0) return SELLER_MESSAGES.network;
  if (status >= 500) return SELLER_MESSAGES['http.500'];
  const key = `http.${status}`;
  return key in SELLER_MESSAGES ? SELLER_MESSAGES[key as SellerMessageCode] : SELLER_MESSAGES['http.other'];
}

/** The words for an error the API answered: by its code, else by its status. */
export function messageForCode(code: string, status: number): string {
  return code in SELLER_MESSAGES ? SELLER_MESSAGES[code as SellerMessageCode] : statusMessage(status);
}
