// The official metaschemas of every supported dialect, embedded at build time
// (gen/embed_metaschemas.mjs) so that `$ref`s to them never need the network.
#pragma once

#include <cstddef>

namespace hotpath::schema::internal {

struct EmbeddedSchema {
  const char* uri;   // $id without trailing '#'
  const char* json;  // compact JSON text
};
extern const EmbeddedSchema kEmbeddedMetaschemas[];
extern const size_t kEmbeddedMetaschemaCount;

}  // namespace hotpath::schema::internal
