// A long article for the render benchmark: a JSON Feed item with 5,000 paragraphs of Vietnamese-like
// text (syllables drawn from common Vietnamese words, with the diacritics the portals use), a few
// inline elements (strong, em, links) so the sanitiser has real work, and the `_reader` extension.
// Deterministic (seeded), so every run measures the same bytes.
//   node bench/long-article.mjs [out.json] [paragraphs]
import { writeFileSync } from "node:fs";

const WORDS = (
  "Ủy ban nhân dân thị xã Đức Phổ tổ chức hội nghị triển khai nhiệm vụ năm 2024 đồng chí Bí thư Thường trực " +
  "Thị ủy chủ trì Mặt trận Tổ quốc Việt Nam các đoàn thể chính trị xã hội phường xã cán bộ đảng viên " +
  "Nhân dân tích cực tham gia phong trào thi đua yêu nước xây dựng nông thôn mới đô thị văn minh " +
  "công tác tuyên truyền vận động giải phóng mặt bằng bồi thường hỗ trợ tái định cư dự án đường cao tốc " +
  "Bắc Nam phía Đông an sinh xã hội đền ơn đáp nghĩa chăm lo gia đình chính sách hộ nghèo cận nghèo " +
  "giám sát phản biện góp ý xây dựng Đảng chính quyền trong sạch vững mạnh kết quả đạt được hạn chế " +
  "tồn tại nguyên nhân bài học kinh nghiệm phương hướng giải pháp trọng tâm thời gian tới ngày Chủ nhật Xanh " +
  "bảo vệ môi trường phát triển kinh tế văn hóa giáo dục y tế quốc phòng an ninh trật tự an toàn giao thông"
).split(" ");

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function longArticle(paragraphs = 5000, seed = 20231227) {
  const next = rng(seed);
  const word = () => WORDS[Math.floor(next() * WORDS.length)];
  const sentence = () => {
    const n = 8 + Math.floor(next() * 14);
    const words = Array.from({ length: n }, word);
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    return words.join(" ") + (next() < 0.15 ? ";" : ".");
  };
  const parts = [];
  for (let i = 0; i < paragraphs; i++) {
    let text = Array.from({ length: 2 + Math.floor(next() * 3) }, sentence).join(" ");
    const r = next();
    if (r < 0.1) text = `<strong>${sentence()}</strong> ${text}`;
    else if (r < 0.15) text += ` <em>${sentence()}</em>`;
    else if (r < 0.2) text += ` Xem thêm <a href="/tin-tuc/bai-${i}.html" target="_blank" onclick="x()">tại đây</a>.`;
    parts.push(`<p>${text}</p>`);
    if (i % 500 === 499) parts.push(`<h2>Phần ${(i + 1) / 500}</h2>`);
  }
  return {
    id: "bench-long-5000",
    title: "Báo cáo tổng kết công tác năm 2023 và phương hướng nhiệm vụ năm 2024 của thị xã Đức Phổ (bản đầy đủ)",
    language: "vi",
    date_published: "2023-12-27T09:14:00+07:00",
    authors: [{ name: "Thúy Yến" }],
    content_html: parts.join(""),
    _reader: { views: 98, source: "Trung tâm TT-VH-TT thị xã Đức Phổ" },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const json = JSON.stringify(longArticle(Number(process.argv[3] ?? 5000)));
  if (process.argv[2]) writeFileSync(process.argv[2], json);
  else process.stdout.write(json);
}
