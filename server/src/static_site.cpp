#include "static_site.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace hotpath::server {

namespace {

namespace fs = std::filesystem;

// The browser assets served, by extension. Other files in the folders (READMEs, TypeScript
// declarations) are not page assets and are not served.
std::string_view content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string_view, std::less<>> types = {
      {".html", "text/html; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"}};
  auto it = types.find(file.extension().string());
  return it == types.end() ? std::string_view() : it->second;
}

// Adds the regular files directly in `dir` under `url_prefix` + name.
Result<bool, std::string> add_folder(std::map<std::string, StaticSite::File, std::less<>>& files,
                                     const fs::path& dir, const std::string& url_prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Failure(std::string("static files: no such directory ") + dir.string());
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string_view type = content_type_for(entry.path());
    if (type.empty() || entry.path().filename().string().find(".d.") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return Failure(std::string("static files: cannot read ") + entry.path().string());
    }
    files[url_prefix + entry.path().filename().string()] = StaticSite::File{std::move(body), type};
  }
  if (ec) return Failure("static files: cannot list " + dir.string() + ": " + ec.message());
  return true;
}

}  // namespace

Result<StaticSite, std::string> StaticSite::load(const std::string& playground_dir,
                                                 const std::string& wasm_package_dir) {
  StaticSite site;
  if (auto r = add_folder(site.files_, playground_dir, "/"); !r.ok()) return Failure(r.error());
  if (!wasm_package_dir.empty()) {
    const fs::path root(wasm_package_dir);
    for (const char* sub : {"lib", "dist"}) {
      if (auto r = add_folder(site.files_, root / sub, std::string("/wasm/") + sub + "/"); !r.ok())
        return Failure(r.error() + " (is the wasm package built? make wasm)");
    }
  }
  return site;
}

const StaticSite::File* StaticSite::find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

size_t StaticSite::total_bytes() const {
  size_t n = 0;
  for (const auto& [path, file] : files_) n += file.body.size();
  return n;
}

}  // namespace hotpath::server
