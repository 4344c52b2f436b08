// StaticSite: the files hotpathd serves besides its API, the playground page at `/` and the
// @hotpath/wasm package it imports at `/wasm/lib/` and `/wasm/dist/`. Read once at start-up and
// served from memory: no file system access, and so no path traversal, while serving.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hotpath/result.h"

namespace hotpath::server {

class StaticSite {
 public:
  struct File {
    std::string body;
    std::string_view content_type;
  };

  // The page's Content-Security-Policy: it runs no eval, only its own scripts and wasm.
  static constexpr std::string_view kContentSecurityPolicy =
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
      "img-src 'self' data:";

  // Loads the regular files directly inside `playground_dir` (served at /NAME, index.html also
  // at /) and, when `wasm_package_dir` is not empty, those in its lib/ and dist/ folders
  // (served at /wasm/lib/NAME and /wasm/dist/NAME). Fails naming the folder that is missing.
  static Result<StaticSite, std::string> load(const std::string& playground_dir,
                                              const std::string& wasm_package_dir);

  // The file for a request path ("/" is "/index.html"), or nullptr.
  const File* find(std::string_view path) const;
  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const;

 private:
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace hotpath::server
