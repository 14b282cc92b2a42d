// Streamlit's own English in Vietnamese (issue 13, item 7), for the words Streamlit has no
// setting for: the table and chart toolbars' tooltips, "Select all" in a multiselect, the file
// uploader, the sidebar's buttons, the error and "Page not found" boxes, screen-reader labels.
// Loaded once per browser tab by planner/ui/widgets.py (st.html); a text node or an
// aria-label / title / placeholder that is exactly one of the English strings below is
// replaced, now and whenever Streamlit draws it again (a MutationObserver). Nothing else in
// the page is touched. tests/browser/test_streamlit_words_browser.py walks every page and
// fails on any of these strings left visible, so a Streamlit upgrade that rewords one is seen.
(() => {
  const lang = '__LANG__';  // the session's language, written in by widgets.streamlit_words
  window.__plannerLang = lang;
  if (window.__plannerWords) { if (lang === 'vi') window.__plannerWords(document.body); return; }
  const EXACT = {
    'Download as CSV': 'Tải về dạng CSV',
    'Search': 'Tìm kiếm',
    'Search...': 'Tìm kiếm…',
    'Fullscreen': 'Toàn màn hình',
    'Close fullscreen': 'Thoát toàn màn hình',
    'Exit fullscreen': 'Thoát toàn màn hình',
    'Show/hide columns': 'Hiện/ẩn cột',
    'Select all': 'Chọn tất cả',
    'Clear all': 'Bỏ chọn tất cả',
    'Selected values': 'Các mục đã chọn',
    'No results': 'Không có kết quả',
    'No data': 'Không có dữ liệu',
    'Choose an option': 'Chọn một mục',
    'Choose options': 'Chọn các mục',
    'Running...': 'Đang chạy…',
    'Stop': 'Dừng',
    'Collapse sidebar': 'Thu gọn thanh bên',
    'Expand sidebar': 'Mở thanh bên',
    'Sidebar': 'Thanh bên',
    'App pages': 'Các trang',
    'Skip to main content': 'Đến nội dung chính',
    'Main menu': 'Trình đơn',
    'Print': 'In',
    'Settings': 'Cài đặt',
    'About': 'Giới thiệu',
    'Upload': 'Chọn tệp',
    'Uploading...': 'Đang tải lên…',
    'Upload failed': 'Tải lên không thành công',
    'Browse files': 'Chọn tệp',
    'Drag and drop file here': 'Kéo thả tệp vào đây',
    'Drag and drop a file here': 'Kéo thả tệp vào đây',
    'Drag and drop files here': 'Kéo thả các tệp vào đây',
    'file upload': 'tải tệp lên',
    'Add row': 'Thêm dòng',
    'Delete row': 'Xoá dòng',
    'Delete rows': 'Xoá các dòng',
    'Show data': 'Xem số liệu',
    'Download as PNG': 'Tải ảnh PNG',
    'Download as SVG': 'Tải ảnh SVG',
    'Copy Vega-Lite spec': 'Sao chép đặc tả biểu đồ',
    'Sort ascending': 'Sắp xếp tăng dần',
    'Sort descending': 'Sắp xếp giảm dần',
    'Autosize': 'Tự giãn độ rộng',
    'Pin column': 'Ghim cột',
    'Unpin column': 'Bỏ ghim cột',
    'Hide column': 'Ẩn cột',
    'Format': 'Định dạng',
    'Copy': 'Sao chép',
    'Copied': 'Đã sao chép',
    'Copy to clipboard': 'Sao chép',
    'Increment': 'Tăng',
    'Decrement': 'Giảm',
    'Close': 'Đóng',
    'Dismiss': 'Đóng',
    'Open': 'Mở',
    'Link to heading': 'Liên kết tới tiêu đề',
    'Connecting': 'Đang kết nối',
    'Please wait...': 'Vui lòng chờ…',
    'Page not found': 'Không có trang này',
    "The page that you have requested does not seem to exist. Running the app's main page.":
      'Ứng dụng không có trang ở địa chỉ này; đang mở trang đầu.',
    'Ask Google': 'Tìm trên Google',
    'Ask ChatGPT': 'Hỏi ChatGPT',
  };
  const PATTERNS = [
    [/^Help for (.+)$/s, 'Giải thích: $1'],
    [/^Remove (.+)$/s, 'Bỏ $1'],
    [/^(\d+(?:[.,]\d+)?)\s*([KMG]?B) per file(.*)$/s, 'Kéo thả tệp vào đây · tối đa $1 $2 mỗi tệp$3'],
    [/^This app has encountered an error\..*$/s,
     'Ứng dụng gặp lỗi không mong muốn. Chi tiết đã được ghi vào nhật ký của máy chủ; hãy tải lại trang, hoặc báo quản trị viên nếu lỗi lặp lại.'],
    [/^You have requested page \/(.+), but no corresponding file .*$/s,
     'Ứng dụng không có trang ở địa chỉ «/$1»; đang mở trang đầu.'],
  ];
  const ATTRS = ['aria-label', 'title', 'placeholder'];
  const word = (text) => {
    const key = text.trim();
    if (!key || !/[A-Za-z]/.test(key)) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, key)) return text.replace(key, EXACT[key]);
    for (const [re, to] of PATTERNS) if (re.test(key)) return text.replace(key, key.replace(re, to));
    return null;
  };
  const SKIP = 'script,style,textarea,input,code,pre,[data-testid="stIconMaterial"],svg.marks';
  const fix = (node) => {
    if (window.__plannerLang !== 'vi' || !node) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (!parent || parent.closest(SKIP)) return;
      const to = word(node.nodeValue);
      if (to !== null && to !== node.nodeValue) node.nodeValue = to;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const elements = [node, ...node.querySelectorAll('[aria-label],[title],[placeholder]')];
    for (const el of elements) {
      for (const a of ATTRS) {
        const v = el.getAttribute && el.getAttribute(a);
        const to = v && word(v);
        if (to !== null && to !== undefined && to !== v) el.setAttribute(a, to);
      }
    }
    if (node.closest && node.closest(SKIP)) return;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) fix(t);
  };
  window.__plannerWords = fix;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') fix(r.target);
      else if (r.type === 'attributes') fix(r.target);
      else r.addedNodes.forEach(fix);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ATTRS});
  fix(document.body);
})();
