// Behaviour tests of the public hotpath/schema API: numbers, dialects, references, compile
// errors, hostile input and the standard output format. Locations are asserted exactly;
// error message wording is still being chosen, so messages are checked for key facts only.
#include "hotpath/schema.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "hotpath/json.h"

namespace hotpath::schema {
namespace {

namespace fs = std::filesystem;

// The base URI schema.h documents for a root compiled from text without a URI.
// A root compiled without a URI has no base of its own: locations are fragment-only.
constexpr std::string_view kRootBase = "";

// A parsed JSON instance that owns its document.
class Instance {
 public:
  explicit Instance(std::string_view text) {
    auto parsed = doc_.parse(text);
    if (!parsed.ok()) {
      ADD_FAILURE() << "test instance does not parse: " << parsed.error().to_string() << "\n"
                    << text;
      return;
    }
    root_ = parsed.value();
  }
  const json::Value& value() const { return root_ ? *root_ : null_; }

 private:
  json::Document doc_;
  const json::Value* root_ = nullptr;
  json::Value null_ = json::Value::null();
};

std::optional<Validator> compile_or_fail(std::string_view schema_json,
                                         CompileOptions options = {}) {
  Compiler compiler(std::move(options));
  auto compiled = compiler.compile(schema_json);
  if (!compiled.ok()) {
    ADD_FAILURE() << "schema does not compile: " << compiled.error().to_string() << "\n"
                  << schema_json;
    return std::nullopt;
  }
  return std::move(compiled).value();
}

std::optional<CompileError> compile_error(std::string_view schema_json,
                                          CompileOptions options = {}) {
  Compiler compiler(std::move(options));
  auto compiled = compiler.compile(schema_json);
  if (compiled.ok()) return std::nullopt;
  return compiled.error();
}

// Validates with both the flag path and the basic output and insists they agree.
bool is_valid(const Validator& validator, std::string_view instance_json) {
  Instance instance(instance_json);
  const bool flag = validator.validate(instance.value());
  const Output basic = validator.evaluate(instance.value(), OutputFormat::basic);
  EXPECT_EQ(flag, basic.valid) << "validate() and evaluate(basic) disagree on " << instance_json;
  if (!basic.valid) {
    EXPECT_FALSE(basic.errors.empty()) << "invalid without errors: " << instance_json;
  }
  return flag;
}

Output basic_output(const Validator& validator, std::string_view instance_json) {
  Instance instance(instance_json);
  return validator.evaluate(instance.value(), OutputFormat::basic);
}

const OutputError* find_error(const Output& output, std::string_view keyword_location) {
  for (const OutputError& e : output.errors) {
    if (e.keyword_location == keyword_location) return &e;
  }
  return nullptr;
}

std::string describe(const Output& output) { return output.to_json(); }

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return contains(lower(haystack), lower(needle));
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("hotpath_schema_test_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& relative, std::string_view content) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

 private:
  fs::path path_;
};

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dialect names

TEST(DialectNames, accepts_short_names_and_metaschema_uris) {
  EXPECT_EQ(dialect_from_name("draft4"), Dialect::draft4);
  EXPECT_EQ(dialect_from_name("draft6"), Dialect::draft6);
  EXPECT_EQ(dialect_from_name("draft7"), Dialect::draft7);
  EXPECT_EQ(dialect_from_name("draft2019-09"), Dialect::draft2019_09);
  EXPECT_EQ(dialect_from_name("draft2020-12"), Dialect::draft2020_12);
  EXPECT_EQ(dialect_from_name("http://json-schema.org/draft-04/schema#"), Dialect::draft4);
  EXPECT_EQ(dialect_from_name("http://json-schema.org/draft-04/schema"), Dialect::draft4);
  EXPECT_EQ(dialect_from_name("http://json-schema.org/draft-06/schema#"), Dialect::draft6);
  EXPECT_EQ(dialect_from_name("http://json-schema.org/draft-07/schema#"), Dialect::draft7);
  EXPECT_EQ(dialect_from_name("https://json-schema.org/draft/2019-09/schema"),
            Dialect::draft2019_09);
  EXPECT_EQ(dialect_from_name("https://json-schema.org/draft/2020-12/schema"),
            Dialect::draft2020_12);
  EXPECT_EQ(dialect_from_name("https://json-schema.org/draft/2020-12/schema#"),
            Dialect::draft2020_12);
}

TEST(DialectNames, rejects_unknown_names) {
  EXPECT_EQ(dialect_from_name("draft3"), std::nullopt);
  EXPECT_EQ(dialect_from_name("draft5"), std::nullopt);
  EXPECT_EQ(dialect_from_name(""), std::nullopt);
  EXPECT_EQ(dialect_from_name("http://json-schema.org/draft-03/schema#"), std::nullopt);
}

TEST(DialectNames, name_and_uri_round_trip) {
  for (Dialect d : {Dialect::draft4, Dialect::draft6, Dialect::draft7, Dialect::draft2019_09,
                    Dialect::draft2020_12}) {
    EXPECT_EQ(dialect_from_name(dialect_name(d)), d) << dialect_name(d);
    EXPECT_EQ(dialect_from_name(dialect_uri(d)), d) << dialect_uri(d);
  }
  EXPECT_EQ(dialect_name(Dialect::draft2020_12), "draft2020-12");
  EXPECT_EQ(dialect_uri(Dialect::draft2020_12), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(dialect_name(Dialect::draft2019_09), "draft2019-09");
}

TEST(OutputFormatNames, accepts_flag_and_basic_only) {
  EXPECT_EQ(output_format_from_name("flag"), OutputFormat::flag);
  EXPECT_EQ(output_format_from_name("basic"), OutputFormat::basic);
  EXPECT_EQ(output_format_from_name("verbose"), std::nullopt);
  EXPECT_EQ(output_format_from_name(""), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Numbers

TEST(Numbers, multiple_of_is_exact_for_decimals) {
  auto v = compile_or_fail(R"({"multipleOf":0.01})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, "19.99"));
  EXPECT_TRUE(is_valid(*v, "0.07"));
  EXPECT_TRUE(is_valid(*v, "1e2"));
  EXPECT_TRUE(is_valid(*v, "-4.35"));
  EXPECT_FALSE(is_valid(*v, "19.999"));
  EXPECT_FALSE(is_valid(*v, "0.001"));
}

TEST(Numbers, multiple_of_point_one_accepts_sums_that_doubles_get_wrong) {
  auto v = compile_or_fail(R"({"multipleOf":0.1})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, "0.3"));  // 0.3 / 0.1 is 2.9999999999999996 in doubles
  EXPECT_TRUE(is_valid(*v, "1.1"));
  EXPECT_FALSE(is_valid(*v, "0.35"));
}

TEST(Numbers, integers_beyond_2_pow_53_compare_exactly) {
  auto v = compile_or_fail(R"({"maximum":9007199254740992})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, "9007199254740992"));
  EXPECT_FALSE(is_valid(*v, "9007199254740993"));  // equal to the limit as a double
  EXPECT_FALSE(is_valid(*v, "18446744073709551616"));

  auto min = compile_or_fail(R"({"exclusiveMinimum":9007199254740993})");
  ASSERT_TRUE(min);
  EXPECT_FALSE(is_valid(*min, "9007199254740993"));
  EXPECT_TRUE(is_valid(*min, "9007199254740994"));
}

TEST(Numbers, const_and_enum_distinguish_integers_beyond_2_pow_53) {
  auto c = compile_or_fail(R"({"const":9007199254740993})");
  ASSERT_TRUE(c);
  EXPECT_TRUE(is_valid(*c, "9007199254740993"));
  EXPECT_FALSE(is_valid(*c, "9007199254740992"));

  auto e = compile_or_fail(R"({"enum":[18446744073709551617]})");
  ASSERT_TRUE(e);
  EXPECT_TRUE(is_valid(*e, "18446744073709551617"));
  EXPECT_FALSE(is_valid(*e, "18446744073709551616"));
}

TEST(Numbers, integer_valued_decimals_are_integers) {
  auto v = compile_or_fail(R"({"type":"integer"})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, "1.0"));
  EXPECT_TRUE(is_valid(*v, "-0.0"));
  EXPECT_TRUE(is_valid(*v, "1e3"));
  EXPECT_TRUE(is_valid(*v, "2.50e1"));
  EXPECT_FALSE(is_valid(*v, "1.5"));
  EXPECT_FALSE(is_valid(*v, "1e-3"));
}

TEST(Numbers, numbers_compare_by_value_in_const) {
  auto v = compile_or_fail(R"({"const":1})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, "1.0"));
  EXPECT_TRUE(is_valid(*v, "1e0"));
  EXPECT_FALSE(is_valid(*v, "1.0000000000000001"));  // the same double as 1, not the same number
}

TEST(Numbers, one_e_400_is_an_integer_above_every_double) {
  auto integer = compile_or_fail(R"({"type":"integer"})");
  ASSERT_TRUE(integer);
  EXPECT_TRUE(is_valid(*integer, "1e400"));
  EXPECT_TRUE(is_valid(*integer, "-1e400"));
  EXPECT_FALSE(is_valid(*integer, "1e-400"));

  auto max = compile_or_fail(R"({"maximum":1.7976931348623157e308})");
  ASSERT_TRUE(max);
  EXPECT_FALSE(is_valid(*max, "1e400"));
  EXPECT_TRUE(is_valid(*max, "-1e400"));

  auto min = compile_or_fail(R"({"minimum":0})");
  ASSERT_TRUE(min);
  EXPECT_TRUE(is_valid(*min, "1e400"));
  EXPECT_FALSE(is_valid(*min, "-1e400"));
  EXPECT_TRUE(is_valid(*min, "1e-400"));  // tiny but positive, not zero

  auto limit = compile_or_fail(R"({"exclusiveMaximum":1e400})");
  ASSERT_TRUE(limit);
  EXPECT_FALSE(is_valid(*limit, "1e400"));
  EXPECT_FALSE(is_valid(*limit, "10e399"));  // the same number written differently
  EXPECT_TRUE(is_valid(*limit, "9.99e399"));
}

TEST(Numbers, four_hundred_digit_integer_is_validated_exactly) {
  const std::string big = "1" + std::string(399, '0');  // 10^399
  auto integer = compile_or_fail(R"({"type":"integer"})");
  ASSERT_TRUE(integer);
  EXPECT_TRUE(is_valid(*integer, big));
  EXPECT_TRUE(is_valid(*integer, "-" + big));

  auto max = compile_or_fail(R"({"maximum":9007199254740993})");
  ASSERT_TRUE(max);
  EXPECT_FALSE(is_valid(*max, big));
  EXPECT_TRUE(is_valid(*max, "-" + big));

  // A limit one above the instance: only exact arithmetic tells them apart.
  auto tight = compile_or_fail(R"({"maximum":)" + big + "}");
  ASSERT_TRUE(tight);
  EXPECT_TRUE(is_valid(*tight, big));
  EXPECT_FALSE(is_valid(*tight, "1" + std::string(398, '0') + "1"));

  auto multiple_of_five = compile_or_fail(R"({"multipleOf":5})");
  ASSERT_TRUE(multiple_of_five);
  EXPECT_TRUE(is_valid(*multiple_of_five, big));
  auto multiple_of_three = compile_or_fail(R"({"multipleOf":3})");
  ASSERT_TRUE(multiple_of_three);
  EXPECT_FALSE(is_valid(*multiple_of_three, big));  // 10^399 mod 3 == 1
}

// ---------------------------------------------------------------------------------------------
// Dialects

constexpr std::string_view kBooleanExclusiveMaximum = R"({"maximum":10,"exclusiveMaximum":true})";

TEST(Dialects, draft4_exclusive_maximum_is_a_boolean_modifier) {
  auto v = compile_or_fail(
      R"({"$schema":"http://json-schema.org/draft-04/schema#","maximum":10,"exclusiveMaximum":true})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dialect(), Dialect::draft4);
  EXPECT_FALSE(is_valid(*v, "10"));
  EXPECT_TRUE(is_valid(*v, "9.5"));
}

TEST(Dialects, default_dialect_option_applies_without_schema_keyword) {
  CompileOptions options;
  options.default_dialect = Dialect::draft4;
  auto v = compile_or_fail(kBooleanExclusiveMaximum, options);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dialect(), Dialect::draft4);
  EXPECT_FALSE(is_valid(*v, "10"));
  EXPECT_TRUE(is_valid(*v, "9.5"));
}

TEST(Dialects, default_dialect_is_2020_12) {
  auto v = compile_or_fail(R"({"type":"string"})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dialect(), Dialect::draft2020_12);
  EXPECT_EQ(Compiler().options().default_dialect, Dialect::draft2020_12);
}

TEST(Dialects, boolean_exclusive_maximum_is_invalid_in_2020_12) {
  auto error = compile_error(kBooleanExclusiveMaximum);
  ASSERT_TRUE(error) << "a boolean exclusiveMaximum must not compile as draft 2020-12";
  EXPECT_TRUE(contains(error->message, "exclusiveMaximum")) << error->to_string();
  EXPECT_EQ(error->location, "/exclusiveMaximum");
}

TEST(Dialects, schema_keyword_wins_over_default_dialect) {
  CompileOptions options;
  options.default_dialect = Dialect::draft2020_12;
  auto v = compile_or_fail(
      R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"string"})", options);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dialect(), Dialect::draft7);

  options.default_dialect = Dialect::draft4;
  auto w = compile_or_fail(
      R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string"})", options);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->dialect(), Dialect::draft2020_12);
}

TEST(Dialects, draft7_ref_ignores_sibling_keywords) {
  auto v = compile_or_fail(R"({
    "$schema":"http://json-schema.org/draft-07/schema#",
    "definitions":{"s":{"type":"string"}},
    "properties":{"a":{"$ref":"#/definitions/s","maxLength":2}}})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"a":"abcd"})"));
  EXPECT_FALSE(is_valid(*v, R"({"a":1})"));
}

TEST(Dialects, draft2020_12_ref_applies_beside_sibling_keywords) {
  auto v = compile_or_fail(R"({
    "$defs":{"s":{"type":"string"}},
    "properties":{"a":{"$ref":"#/$defs/s","maxLength":2}}})");
  ASSERT_TRUE(v);
  EXPECT_FALSE(is_valid(*v, R"({"a":"abcd"})"));
  EXPECT_TRUE(is_valid(*v, R"({"a":"ab"})"));
  EXPECT_FALSE(is_valid(*v, R"({"a":1})"));
}

TEST(Dialects, draft2019_09_ref_applies_beside_sibling_keywords) {
  CompileOptions options;
  options.default_dialect = Dialect::draft2019_09;
  auto v = compile_or_fail(R"({"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","maxLength":2})",
                           options);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dialect(), Dialect::draft2019_09);
  EXPECT_FALSE(is_valid(*v, R"("abcd")"));
  EXPECT_TRUE(is_valid(*v, R"("ab")"));
}

TEST(Dialects, draft6_exclusive_maximum_is_a_number) {
  CompileOptions options;
  options.default_dialect = Dialect::draft6;
  auto v = compile_or_fail(R"({"exclusiveMaximum":10})", options);
  ASSERT_TRUE(v);
  EXPECT_FALSE(is_valid(*v, "10"));
  EXPECT_TRUE(is_valid(*v, "9"));
}

TEST(Dialects, draft7_dependencies_mixing_property_lists_and_schemas_all_apply) {
  CompileOptions options;
  options.default_dialect = Dialect::draft7;
  auto v = compile_or_fail(
      R"({"dependencies":{"a":["b"],"c":{"minProperties":3},"d":{"required":["e"]},"f":["g"]}})",
      options);
  ASSERT_TRUE(v);
  EXPECT_FALSE(is_valid(*v, R"({"a":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"c":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"d":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"f":1})"));  // the list after the schemas must still apply
  EXPECT_TRUE(is_valid(*v, R"({"f":1,"g":2,"a":3,"b":4})"));
}

// ---------------------------------------------------------------------------------------------
// Formats: annotation by default, assertion when asked

TEST(FormatOption, format_is_an_annotation_unless_assert_formats_is_set) {
  constexpr std::string_view schema = R"({"format":"ipv4"})";
  auto annotation = compile_or_fail(schema);
  ASSERT_TRUE(annotation);
  EXPECT_TRUE(is_valid(*annotation, R"("not an address")"));

  CompileOptions options;
  options.assert_formats = true;
  auto assertion = compile_or_fail(schema, options);
  ASSERT_TRUE(assertion);
  EXPECT_FALSE(is_valid(*assertion, R"("not an address")"));
  EXPECT_TRUE(is_valid(*assertion, R"("192.168.0.1")"));
  EXPECT_TRUE(is_valid(*assertion, "42"));  // formats only constrain strings
}

// ---------------------------------------------------------------------------------------------
// References: ref maps, schemas added in code

TEST(References, ref_map_resolves_remote_schemas_from_a_directory) {
  TempDir dir;
  dir.write("defs/positive.json", R"({"type":"integer","minimum":1})");
  CompileOptions options;
  options.ref_maps.push_back({"https://schemas.example.com/", dir.path().string() + "/"});
  auto v = compile_or_fail(
      R"({"properties":{"n":{"$ref":"https://schemas.example.com/defs/positive.json"}}})", options);
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"n":5})"));
  EXPECT_FALSE(is_valid(*v, R"({"n":0})"));
  EXPECT_FALSE(is_valid(*v, R"({"n":"5"})"));
}

TEST(References, ref_map_directory_without_trailing_slash_works) {
  TempDir dir;
  dir.write("positive.json", R"({"minimum":1})");
  Compiler compiler;
  compiler.add_ref_map({"https://schemas.example.com/", dir.path().string()});
  auto v = compiler.compile(R"({"$ref":"https://schemas.example.com/positive.json"})");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(is_valid(*v, "1"));
  EXPECT_FALSE(is_valid(*v, "0"));
}

TEST(References, relative_ref_inside_a_mapped_file_resolves_against_that_file) {
  TempDir dir;
  dir.write("defs/order.json", R"({"properties":{"price":{"$ref":"money.json"}}})");
  dir.write("defs/money.json", R"({"type":"number","multipleOf":0.01,"minimum":0})");
  CompileOptions options;
  options.ref_maps.push_back({"https://schemas.example.com/", dir.path().string() + "/"});
  auto v = compile_or_fail(R"({"$ref":"https://schemas.example.com/defs/order.json"})", options);
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"price":19.99})"));
  EXPECT_FALSE(is_valid(*v, R"({"price":19.999})"));
  EXPECT_FALSE(is_valid(*v, R"({"price":-1})"));
}

TEST(References, add_schema_registers_under_its_own_id) {
  Compiler compiler;
  auto added = compiler.add_schema(
      R"({"$id":"https://example.com/money","type":"number","multipleOf":0.01})");
  ASSERT_TRUE(added.ok()) << added.error().to_string();
  EXPECT_EQ(added.value(), "https://example.com/money");
  auto v = compiler.compile(R"({"properties":{"price":{"$ref":"https://example.com/money"}}})");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(is_valid(*v, R"({"price":19.99})"));
  EXPECT_FALSE(is_valid(*v, R"({"price":"19.99"})"));
  EXPECT_FALSE(is_valid(*v, R"({"price":19.991})"));
}

TEST(References, add_schema_registers_under_the_given_uri) {
  Compiler compiler;
  auto added =
      compiler.add_schema(R"({"type":"string","minLength":3})", "https://example.com/code");
  ASSERT_TRUE(added.ok()) << added.error().to_string();
  EXPECT_EQ(added.value(), "https://example.com/code");
  auto v = compiler.compile(R"({"items":{"$ref":"https://example.com/code"}})");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(is_valid(*v, R"(["abc","defg"])"));
  EXPECT_FALSE(is_valid(*v, R"(["abc","de"])"));
}

TEST(References, add_schema_rejects_invalid_json) {
  Compiler compiler;
  auto added = compiler.add_schema(R"({"type":)", "https://example.com/broken");
  ASSERT_FALSE(added.ok());
  EXPECT_FALSE(added.error().message.empty());
}

TEST(References, validator_outlives_its_compiler) {
  std::optional<Validator> v;
  {
    Compiler compiler;
    ASSERT_TRUE(compiler.add_schema(R"({"type":"integer"})", "https://example.com/int").ok());
    auto compiled =
        compiler.compile(R"({"items":{"$ref":"https://example.com/int"},"maxItems":2})");
    ASSERT_TRUE(compiled.ok()) << compiled.error().to_string();
    v = std::move(compiled).value();
  }
  EXPECT_TRUE(is_valid(*v, "[1,2]"));
  EXPECT_FALSE(is_valid(*v, "[1,2,3]"));
  EXPECT_FALSE(is_valid(*v, R"([1,"x"])"));
  Validator copy = *v;
  v.reset();
  EXPECT_TRUE(is_valid(copy, "[1]"));
}

TEST(References, compile_file_reads_a_schema_from_disk) {
  TempDir dir;
  dir.write("schema.json", R"({"$defs":{"n":{"type":"integer"}},"items":{"$ref":"#/$defs/n"}})");
  Compiler compiler;
  auto v = compiler.compile_file((dir.path() / "schema.json").string());
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(is_valid(*v, "[1,2]"));
  EXPECT_FALSE(is_valid(*v, R"([1,"2"])"));
}

TEST(References, compile_file_of_a_missing_file_is_an_error) {
  TempDir dir;
  Compiler compiler;
  auto v = compiler.compile_file((dir.path() / "nope.json").string());
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(contains(v.error().to_string(), "nope.json")) << v.error().to_string();
}

TEST(References, unresolvable_remote_ref_names_the_reference_and_its_location) {
  auto error = compile_error(R"({"properties":{"a":{"$ref":"https://nowhere.example/x.json"}}})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "https://nowhere.example/x.json")) << error->to_string();
  EXPECT_EQ(error->location, "/properties/a/$ref");
  EXPECT_TRUE(contains(error->to_string(), "/properties/a/$ref")) << error->to_string();
}

TEST(References, unresolvable_local_ref_names_the_reference_and_its_location) {
  auto error = compile_error(R"({"$defs":{"b":{}},"properties":{"a":{"$ref":"#/$defs/missing"}}})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "#/$defs/missing")) << error->to_string();
  EXPECT_EQ(error->location, "/properties/a/$ref");
}

TEST(References, unresolvable_ref_inside_a_mapped_file_names_that_file) {
  TempDir dir;
  dir.write("a.json", R"({"items":{"$ref":"missing.json"}})");
  CompileOptions options;
  options.ref_maps.push_back({"https://schemas.example.com/", dir.path().string() + "/"});
  auto error = compile_error(R"({"$ref":"https://schemas.example.com/a.json"})", options);
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "missing.json")) << error->to_string();
  EXPECT_EQ(error->schema_uri, "https://schemas.example.com/a.json");
  EXPECT_EQ(error->location, "/items/$ref");
}

TEST(References, ref_map_never_escapes_to_the_network) {
  // Nothing maps this prefix: it must fail quickly rather than be fetched.
  auto error = compile_error(R"({"$ref":"http://localhost:1234/integer.json"})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "http://localhost:1234/integer.json")) << error->to_string();
  EXPECT_EQ(error->location, "/$ref");
}

// ---------------------------------------------------------------------------------------------
// Invalid schemas are compile errors naming the keyword

TEST(InvalidSchemas, unknown_type_name_is_a_compile_error) {
  auto error = compile_error(R"({"type":"strnig"})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "type")) << error->to_string();
  EXPECT_TRUE(contains(error->message, "strnig")) << error->to_string();
  EXPECT_EQ(error->location, "/type");
}

TEST(InvalidSchemas, unknown_type_name_in_a_type_array_is_a_compile_error) {
  auto error = compile_error(R"({"properties":{"a":{"type":["string","nul"]}}})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "nul")) << error->to_string();
  EXPECT_TRUE(error->location == "/properties/a/type" || error->location == "/properties/a/type/1")
      << error->location;
}

TEST(InvalidSchemas, negative_min_length_is_a_compile_error) {
  auto error = compile_error(R"({"minLength":-1})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "minLength")) << error->to_string();
  EXPECT_EQ(error->location, "/minLength");
}

TEST(InvalidSchemas, nested_invalid_keyword_reports_its_pointer) {
  auto error = compile_error(R"({"properties":{"a/b":{"items":{"maxItems":1.5}}}})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "maxItems")) << error->to_string();
  EXPECT_EQ(error->location, "/properties/a~1b/items/maxItems");
}

TEST(InvalidSchemas, required_must_be_an_array) {
  auto error = compile_error(R"({"required":"name"})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "required")) << error->to_string();
  EXPECT_EQ(error->location, "/required");
}

TEST(InvalidSchemas, invalid_pattern_is_a_compile_error) {
  auto error = compile_error(R"({"pattern":"(unclosed"})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->message, "pattern")) << error->to_string();
  EXPECT_EQ(error->location, "/pattern");
}

TEST(InvalidSchemas, schema_that_is_not_an_object_or_boolean_is_a_compile_error) {
  EXPECT_TRUE(compile_error("42"));
  EXPECT_TRUE(compile_error(R"("string")"));
  EXPECT_TRUE(compile_error(R"({"properties":{"a":7}})"));
}

TEST(InvalidSchemas, invalid_json_text_is_a_compile_error_not_a_crash) {
  for (std::string_view text : {"", "{", R"({"type":"string")", R"({"type":"string"} trailing)",
                                "{\"type\":\"\xff\"}", R"({"const":"\ud800"})"}) {
    auto error = compile_error(text);
    ASSERT_TRUE(error) << "compiled: " << text;
    EXPECT_FALSE(error->message.empty());
  }
}

TEST(InvalidSchemas, schema_nested_100000_deep_is_a_compile_error_not_a_crash) {
  const size_t depth = 100'000;
  const std::string schema = repeat(R"({"not":)", depth) + "{}" + std::string(depth, '}');
  auto error = compile_error(schema);
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->message.empty());
}

TEST(InvalidSchemas, boolean_schemas_compile) {
  auto yes = compile_or_fail("true");
  auto no = compile_or_fail("false");
  ASSERT_TRUE(yes && no);
  EXPECT_TRUE(is_valid(*yes, R"({"anything":[1,2]})"));
  EXPECT_FALSE(is_valid(*no, "null"));
}

// ---------------------------------------------------------------------------------------------
// Reference cycles and deep chains

TEST(Cycles, ref_cycle_without_progress_is_rejected_cleanly) {
  for (std::string_view schema : {
           R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})",
           R"({"$ref":"#"})",
           R"({"$defs":{"a":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"})",
       }) {
    auto outcome = std::make_shared<std::string>();
    const std::string schema_text(schema);
    [outcome, schema_text] {
      Compiler compiler;
      auto compiled = compiler.compile(schema_text);
      if (!compiled.ok()) {
        *outcome =
            compiled.error().message.empty() ? "compile error without a message" : "compile error";
        return;
      }
      Instance instance(R"({"x":1})");
      const bool flag = compiled->validate(instance.value());
      const Output basic = compiled->evaluate(instance.value(), OutputFormat::basic);
      if (flag || basic.valid) {
        *outcome = "evaluated as valid";
      } else if (basic.errors.empty() || basic.errors.front().message.empty()) {
        *outcome = "invalid without an error message";
      } else {
        *outcome = "evaluation error";
      }
    }();
    EXPECT_TRUE(*outcome == "compile error" || *outcome == "evaluation error")
        << *outcome << " for " << schema;
  }
}

TEST(Cycles, recursive_schema_with_progress_validates_deep_instances) {
  auto v = compile_or_fail(
      R"({"$defs":{"node":{"type":"object","properties":{"child":{"$ref":"#/$defs/node"}},"required":["id"]}},
          "$ref":"#/$defs/node"})");
  ASSERT_TRUE(v);
  const size_t depth = 200;
  const std::string deep =
      repeat(R"({"id":1,"child":)", depth) + R"({"id":1})" + std::string(depth, '}');
  EXPECT_TRUE(is_valid(*v, deep));
  const std::string bad_leaf =
      repeat(R"({"id":1,"child":)", depth) + R"({"id":1,"child":{}})" + std::string(depth, '}');
  const Output out = basic_output(*v, bad_leaf);
  ASSERT_FALSE(out.valid);
  const std::string instance_location = repeat("/child", depth + 1);
  const std::string keyword_location =
      "/$ref" + repeat("/properties/child/$ref", depth + 1) + "/required";
  const OutputError* e = find_error(out, keyword_location);
  ASSERT_NE(e, nullptr) << describe(out).substr(0, 2000);
  EXPECT_EQ(e->instance_location, instance_location);
  EXPECT_EQ(e->absolute_keyword_location, std::string(kRootBase) + "#/$defs/node/required");
}

TEST(Cycles, thousand_ref_hops_compile_and_validate) {
  const int hops = 1000;
  std::string schema = R"({"$defs":{)";
  for (int i = 0; i < hops; ++i) {
    if (i) schema += ",";
    schema += "\"d" + std::to_string(i) + "\":";
    schema += i + 1 < hops ? R"({"$ref":"#/$defs/d)" + std::to_string(i + 1) + "\"}"
                           : std::string(R"({"type":"string"})");
  }
  schema += R"(},"$ref":"#/$defs/d0"})";
  auto v = compile_or_fail(schema);
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"("x")"));
  EXPECT_FALSE(is_valid(*v, "1"));
  const Output out = basic_output(*v, "1");
  const OutputError* e = find_error(out, repeat("/$ref", hops) + "/type");
  ASSERT_NE(e, nullptr) << describe(out).substr(0, 2000);
  EXPECT_EQ(e->absolute_keyword_location, std::string(kRootBase) + "#/$defs/d999/type");
  EXPECT_EQ(e->instance_location, "");
}

// An expression tree whose node types are tried as oneOf branches, each recursing into the
// children: every level evaluates its children twice (2^depth in all when the children come
// before the discriminating "op").
constexpr std::string_view kTwoBranchTree = R"({
  "$defs": {"node": {"oneOf": [
    {"type": "object", "properties": {"op": {"const": "add"},
     "args": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["op"]},
    {"type": "object", "properties": {"op": {"const": "mul"},
     "args": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["op"]}]}},
  "$ref": "#/$defs/node"})";

std::string args_first_tree(int depth) {
  return repeat(R"({"args":[)", depth) + R"({"op":"add"})" + repeat(R"(],"op":"add"})", depth);
}

TEST(Budget, exponential_evaluation_is_rejected_not_run_to_the_end) {
  auto v = compile_or_fail(kTwoBranchTree);
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, args_first_tree(8)));  // 2^8 evaluations: well within the budget
  // 2^40 evaluations would take days; past the budget the instance is refused.
  EXPECT_FALSE(is_valid(*v, args_first_tree(40)));
  const Output out = basic_output(*v, args_first_tree(40));
  ASSERT_FALSE(out.valid);
  ASSERT_FALSE(out.errors.empty());
  EXPECT_TRUE(contains(out.errors.back().message, "exceeded its budget of 1000000"))
      << describe(out);
  // Under `not`, the aborted evaluation does not turn into a pass.
  std::string negated_schema(kTwoBranchTree);
  negated_schema.replace(negated_schema.rfind(R"("$ref": "#/$defs/node"})"), std::string::npos,
                         R"("not": {"$ref": "#/$defs/node"}})");
  auto negated = compile_or_fail(negated_schema);
  ASSERT_TRUE(negated);
  EXPECT_FALSE(is_valid(*negated, args_first_tree(40)));
  EXPECT_TRUE(is_valid(*negated, R"({"op":"sub"})"));
  // A smaller budget, as an option.
  CompileOptions tight;
  tight.evaluation_budget = 100;
  auto small = compile_or_fail(kTwoBranchTree, tight);
  ASSERT_TRUE(small);
  EXPECT_FALSE(is_valid(*small, args_first_tree(14)));  // 2^14 > 100 and > 256 per value
}

TEST(Budget, grows_with_the_instance_so_large_documents_still_validate) {
  // Four subschema evaluations per item: 1.2 million for 300,000 items, past the base budget
  // of a million but within 256 per value.
  auto v = compile_or_fail(R"({
    "$defs": {"s": {"type": "string", "not": {"const": "x"}}},
    "items": {"anyOf": [{"$ref": "#/$defs/s"}, {"$ref": "#/$defs/s"}, {"$ref": "#/$defs/s"},
                        {"type": "integer"}]}})");
  ASSERT_TRUE(v);
  std::string items = "[0";
  for (int i = 1; i < 300'000; ++i) items += "," + std::to_string(i);
  items += "]";
  EXPECT_TRUE(is_valid(*v, items));
  items.back() = ',';
  items += "1.5]";
  EXPECT_FALSE(is_valid(*v, items));
}

TEST(Budget, too_deep_evaluation_under_not_stays_invalid) {
  // 5,000 nested objects each evaluated through the recursive subschema: past the depth
  // limit (or the thread's stack). `not` must not turn the abort into a pass.
  auto v = compile_or_fail(
      R"({"not": {"$ref": "#/$defs/n"}, "$defs": {"n": {"properties": {"c": {"$ref": "#/$defs/n"}}}}})");
  ASSERT_TRUE(v);
  const int depth = 5000;
  const std::string text = repeat(R"({"c":)", depth) + "1" + std::string(depth, '}');
  json::Document doc;
  json::ParseOptions options;
  options.max_depth = 10'000;
  auto parsed = doc.parse(text, options);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(v->validate(*parsed.value()));
  const Output out = v->evaluate(*parsed.value(), OutputFormat::basic);
  EXPECT_FALSE(out.valid);
  ASSERT_FALSE(out.errors.empty());
  EXPECT_TRUE(contains(out.errors.back().message, "deep")) << out.errors.back().message;
}

// ---------------------------------------------------------------------------------------------
// Hostile patterns cannot hang the process

TEST(Patterns, catastrophic_backtracking_fails_on_the_step_budget) {
  auto v = compile_or_fail(R"({"pattern":"^(a+)+$"})");
  ASSERT_TRUE(v);
  const std::string hostile = "\"" + std::string(40, 'a') + "b\"";
  Validator validator = *v;
  auto flag = std::make_shared<std::optional<bool>>();
  auto basic = std::make_shared<Output>();
  {
    Instance instance(hostile);
    *flag = validator.validate(instance.value());
    *basic = validator.evaluate(instance.value(), OutputFormat::basic);
  }
  ASSERT_TRUE(flag->has_value());
  EXPECT_FALSE(**flag);
  ASSERT_FALSE(basic->valid);
  const OutputError* e = find_error(*basic, "/pattern");
  ASSERT_NE(e, nullptr) << describe(*basic);
  EXPECT_EQ(e->instance_location, "");
  EXPECT_TRUE(contains_ignoring_case(e->message, "budget")) << e->message;
  EXPECT_TRUE(is_valid(validator, R"("aaaa")"));
}

TEST(Patterns, catastrophic_backtracking_in_pattern_properties_fails_on_the_step_budget) {
  auto v = compile_or_fail(R"({"patternProperties":{"^(a|aa)+$":{"type":"integer"}}})");
  ASSERT_TRUE(v);
  const std::string key = std::string(60, 'a') + "!";
  const std::string instance = "{\"" + key + "\":\"not an integer\"}";
  Instance parsed(instance);
  // The key exhausts the budget: the property fails with a budget error (a hang would show
  // as a ctest timeout).
  EXPECT_FALSE(v->validate(parsed.value()));
  const Output basic = v->evaluate(parsed.value(), OutputFormat::basic);
  ASSERT_FALSE(basic.valid);
  ASSERT_FALSE(basic.errors.empty());
  EXPECT_TRUE(contains_ignoring_case(basic.errors.front().message, "budget")) << describe(basic);
}

TEST(Patterns, patterns_are_unanchored_ecmascript) {
  auto v = compile_or_fail(R"({"pattern":"\\d{3}"})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"("ab123cd")"));
  EXPECT_FALSE(is_valid(*v, R"("ab12cd")"));
  EXPECT_TRUE(is_valid(*v, "12"));  // pattern only constrains strings
}

// ---------------------------------------------------------------------------------------------
// Output

TEST(StandardOutput, basic_output_locations_for_a_failed_minimum) {
  auto v =
      compile_or_fail(R"({"$id":"https://example.com/s","properties":{"price":{"minimum":0}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"price":-1})");
  ASSERT_FALSE(out.valid);
  const OutputError* e = find_error(out, "/properties/price/minimum");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->keyword, "minimum");
  EXPECT_EQ(e->absolute_keyword_location, "https://example.com/s#/properties/price/minimum");
  EXPECT_EQ(e->instance_location, "/price");
  EXPECT_TRUE(contains(e->message, "0")) << e->message;
  EXPECT_TRUE(contains(e->message, "-1")) << e->message;
}

TEST(StandardOutput, keyword_location_follows_ref_while_absolute_location_points_into_defs) {
  auto v = compile_or_fail(
      R"({"$id":"https://example.com/r","$defs":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/s"}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"a":1})");
  ASSERT_FALSE(out.valid);
  const OutputError* e = find_error(out, "/properties/a/$ref/type");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->keyword, "type");
  EXPECT_EQ(e->absolute_keyword_location, "https://example.com/r#/$defs/s/type");
  EXPECT_EQ(e->instance_location, "/a");
  EXPECT_TRUE(contains(e->message, "string")) << e->message;
}

TEST(StandardOutput, absolute_location_of_a_schema_without_id_uses_the_default_base) {
  auto v = compile_or_fail(R"({"items":{"type":"integer"}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"([1,"x"])");
  ASSERT_FALSE(out.valid);
  const OutputError* e = find_error(out, "/items/type");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->absolute_keyword_location, std::string(kRootBase) + "#/items/type");
  EXPECT_EQ(e->instance_location, "/1");
}

TEST(StandardOutput, absolute_location_uses_the_retrieval_uri_given_to_compile) {
  Compiler compiler;
  auto v = compiler.compile(R"({"maxLength":2})", "https://example.com/short.json");
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  const Output out = basic_output(*v, R"("abc")");
  const OutputError* e = find_error(out, "/maxLength");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->absolute_keyword_location, "https://example.com/short.json#/maxLength");
  EXPECT_TRUE(contains(e->message, "2")) << e->message;
}

TEST(StandardOutput, pointers_escape_slash_and_tilde) {
  auto v =
      compile_or_fail(R"({"$id":"https://example.com/e","properties":{"a/b~c":{"minimum":0}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"a/b~c":-5})");
  ASSERT_FALSE(out.valid);
  const OutputError* e = find_error(out, "/properties/a~1b~0c/minimum");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->instance_location, "/a~1b~0c");
  // In a URI fragment the pointer is also percent-encoded where needed; '~' and '/' stay.
  EXPECT_EQ(e->absolute_keyword_location, "https://example.com/e#/properties/a~1b~0c/minimum");
}

// Names are checked for '~' and '/' 8 bytes at a time, then byte by byte: escapes in the
// first word, in a later word, in the tail, and none in a long name.
TEST(StandardOutput, pointers_escape_at_every_position_of_long_names) {
  const std::pair<std::string, std::string> names[] = {
      {"a/cdefghijklmnop", "a~1cdefghijklmnop"},
      {"abcdefghij~lmnopq", "abcdefghij~0lmnopq"},
      {"abcdefghijklmnop/", "abcdefghijklmnop~1"},
      {"abcdefgh~ijklmnop/q~", "abcdefgh~0ijklmnop~1q~0"},
      {"abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"},
  };
  for (const auto& [name, escaped] : names) {
    std::string key = json::to_string(json::Value::string(name.data(), uint32_t(name.size())));
    auto v = compile_or_fail("{\"properties\":{" + key + ":{\"minimum\":0}}}");
    ASSERT_TRUE(v);
    const Output out = basic_output(*v, "{" + key + ":-1}");
    const OutputError* e = find_error(out, "/properties/" + escaped + "/minimum");
    ASSERT_NE(e, nullptr) << name << ": " << describe(out);
    EXPECT_EQ(e->instance_location, "/" + escaped) << name;
  }
}

TEST(StandardOutput, required_error_names_the_missing_property_at_the_parent) {
  auto v = compile_or_fail(R"({"properties":{"order":{"required":["price","qty"]}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"order":{"qty":1}})");
  ASSERT_FALSE(out.valid);
  const OutputError* e = find_error(out, "/properties/order/required");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_EQ(e->keyword, "required");
  EXPECT_EQ(e->instance_location, "/order");
  EXPECT_TRUE(contains(e->message, "price")) << e->message;
}

TEST(StandardOutput, messages_carry_the_limit_and_the_value) {
  auto v = compile_or_fail(
      R"({"properties":{"name":{"maxLength":3},"tags":{"maxItems":1},"code":{"enum":["a","b"]}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"name":"abcdef","tags":[1,2,3],"code":"zz"})");
  ASSERT_FALSE(out.valid);
  const OutputError* name = find_error(out, "/properties/name/maxLength");
  ASSERT_NE(name, nullptr) << describe(out);
  EXPECT_TRUE(contains(name->message, "3")) << name->message;
  EXPECT_EQ(name->instance_location, "/name");
  const OutputError* tags = find_error(out, "/properties/tags/maxItems");
  ASSERT_NE(tags, nullptr) << describe(out);
  EXPECT_TRUE(contains(tags->message, "1")) << tags->message;
  EXPECT_EQ(tags->instance_location, "/tags");
  const OutputError* code = find_error(out, "/properties/code/enum");
  ASSERT_NE(code, nullptr) << describe(out);
  EXPECT_EQ(code->instance_location, "/code");
}

TEST(StandardOutput, additional_properties_error_names_the_property) {
  auto v = compile_or_fail(R"({"properties":{"a":true},"additionalProperties":false})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"a":1,"surprise":2})");
  ASSERT_FALSE(out.valid);
  bool named = false;
  for (const OutputError& e : out.errors) {
    if (contains(e.keyword_location, "additionalProperties") &&
        (contains(e.message, "surprise") || contains(e.instance_location, "surprise"))) {
      named = true;
    }
  }
  EXPECT_TRUE(named) << describe(out);
}

TEST(StandardOutput, valid_output_json_is_exact) {
  auto v = compile_or_fail(R"({"type":"object"})");
  ASSERT_TRUE(v);
  Instance instance("{}");
  EXPECT_EQ(v->evaluate(instance.value(), OutputFormat::basic).to_json(), R"({"valid":true})");
  EXPECT_EQ(v->evaluate(instance.value(), OutputFormat::flag).to_json(), R"({"valid":true})");
}

TEST(StandardOutput, invalid_output_json_is_exact) {
  auto v =
      compile_or_fail(R"({"$id":"https://example.com/s","properties":{"price":{"minimum":0}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"price":-1})");
  ASSERT_FALSE(out.errors.empty());
  // The text is built from the errors, so this pins the shape, key order and escaping but not
  // the message wording.
  std::string expected = R"({"valid":false,"errors":[)";
  for (size_t i = 0; i < out.errors.size(); ++i) {
    const OutputError& e = out.errors[i];
    if (i) expected += ",";
    expected += R"({"keywordLocation":)";
    json::write_string(e.keyword_location, expected);
    expected += R"(,"absoluteKeywordLocation":)";
    json::write_string(e.absolute_keyword_location, expected);
    expected += R"(,"instanceLocation":)";
    json::write_string(e.instance_location, expected);
    expected += R"(,"error":)";
    json::write_string(e.message, expected);
    expected += "}";
  }
  expected += "]}";
  EXPECT_EQ(out.to_json(), expected);
  std::string appended = "prefix:";
  out.write_json(appended);
  EXPECT_EQ(appended, "prefix:" + expected);

  // And the exact text for the pieces the wording does not affect.
  const std::string text = out.to_json();
  EXPECT_TRUE(contains(
      text,
      R"({"keywordLocation":"/properties/price/minimum","absoluteKeywordLocation":"https://example.com/s#/properties/price/minimum","instanceLocation":"/price","error":")"))
      << text;
}

TEST(StandardOutput, output_json_escapes_property_names) {
  auto v = compile_or_fail(R"({"properties":{"quo\"te":{"type":"string"}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"quo\"te":1})");
  ASSERT_FALSE(out.valid);
  const std::string text = out.to_json();
  EXPECT_TRUE(contains(text, R"("instanceLocation":"/quo\"te")")) << text;
  Instance reparsed(text);  // the output is itself valid JSON
  EXPECT_TRUE(reparsed.value().is_object());
}

TEST(StandardOutput, flag_output_has_no_errors) {
  auto v = compile_or_fail(R"({"properties":{"price":{"minimum":0}},"required":["qty"]})");
  ASSERT_TRUE(v);
  Instance instance(R"({"price":-1})");
  const Output flag = v->evaluate(instance.value(), OutputFormat::flag);
  EXPECT_FALSE(flag.valid);
  EXPECT_TRUE(flag.errors.empty());
  EXPECT_EQ(flag.to_json(), R"({"valid":false})");
}

TEST(StandardOutput, basic_output_reports_every_failure) {
  auto v = compile_or_fail(R"({"properties":{"a":{"type":"string"},"b":{"type":"string"}}})");
  ASSERT_TRUE(v);
  const Output out = basic_output(*v, R"({"a":1,"b":2})");
  ASSERT_FALSE(out.valid);
  EXPECT_NE(find_error(out, "/properties/a/type"), nullptr) << describe(out);
  EXPECT_NE(find_error(out, "/properties/b/type"), nullptr) << describe(out);
}

// ---------------------------------------------------------------------------------------------
// Concurrency

TEST(Concurrency, one_validator_gives_the_same_answers_on_four_threads) {
  auto v = compile_or_fail(R"({
    "$defs":{"money":{"type":"number","multipleOf":0.01,"minimum":0}},
    "type":"object",
    "properties":{"id":{"type":"string","pattern":"^[A-Z]{3}-\\d+$"},"price":{"$ref":"#/$defs/money"},
                  "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true}},
    "required":["id","price"],
    "unevaluatedProperties":false})");
  ASSERT_TRUE(v);
  const std::vector<std::string> instances = {
      R"({"id":"ABC-1","price":19.99})",
      R"({"id":"ABC-1","price":19.999})",
      R"({"id":"abc","price":1})",
      R"({"id":"ABC-2","price":1,"tags":["x","y"]})",
      R"({"id":"ABC-2","price":1,"tags":["x","x"]})",
      R"({"id":"ABC-3","price":1,"extra":true})",
      R"({"price":-1})",
  };
  std::vector<std::string> expected;
  for (const std::string& text : instances) expected.push_back(basic_output(*v, text).to_json());

  const Validator& validator = *v;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<Instance>> parsed;
      for (const std::string& text : instances) parsed.push_back(std::make_unique<Instance>(text));
      for (int round = 0; round < 500; ++round) {
        const size_t i = static_cast<size_t>(round + t) % instances.size();
        const Output out = validator.evaluate(parsed[i]->value(), OutputFormat::basic);
        if (out.to_json() != expected[i]) ++mismatches;
        if (validator.validate(parsed[i]->value()) != out.valid) ++mismatches;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ---------------------------------------------------------------------------------------------
// Fast paths that change how (not what) flag mode decides; is_valid() checks flag == basic.

// minLength counts code points; a string of at least 4 x minLength bytes passes uncounted.
TEST(FastPaths, min_length_counts_code_points_near_the_four_byte_bound) {
  auto two = compile_or_fail(R"({"minLength":2})");
  ASSERT_TRUE(two);
  EXPECT_FALSE(is_valid(*two, R"("\u00e9")"));                   // 2 bytes, 1 code point
  EXPECT_TRUE(is_valid(*two, R"("\u00e9\u00e9")"));              // 4 bytes, 2 code points
  EXPECT_FALSE(is_valid(*two, R"("\ud83d\udca9")"));             // 4 bytes, 1 code point
  EXPECT_TRUE(is_valid(*two, R"("\ud83d\udca9\ud83d\udca9")"));  // 8 bytes, 2 code points
  auto one = compile_or_fail(R"({"minLength":1})");
  ASSERT_TRUE(one);
  EXPECT_TRUE(is_valid(*one, R"("\ud83d\udca9")"));
  EXPECT_FALSE(is_valid(*one, R"("")"));
  auto seven = compile_or_fail(R"({"minLength":7})");
  ASSERT_TRUE(seven);
  EXPECT_FALSE(is_valid(*seven, R"("\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac")"));       // 18 bytes, 6
  EXPECT_TRUE(is_valid(*seven, R"("\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac")"));  // 21 bytes, 7
}

TEST(FastPaths, required_folded_into_properties_still_fails_missing_names) {
  // Every required name is also a property: flag mode checks them in the properties pass.
  auto v = compile_or_fail(
      R"({"properties":{"a":{},"b":{"type":"integer"},"c":{}},"required":["a","b"],)"
      R"("additionalProperties":false})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"a":1,"b":2})"));
  EXPECT_TRUE(is_valid(*v, R"({"b":2,"a":1,"c":3})"));
  EXPECT_FALSE(is_valid(*v, R"({"a":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"c":1})"));
  EXPECT_FALSE(is_valid(*v, R"({})"));
  EXPECT_TRUE(is_valid(*v, R"("not an object")"));
  const Output out = basic_output(*v, R"({"a":1})");
  const OutputError* e = find_error(out, "/required");
  ASSERT_NE(e, nullptr) << describe(out);
  EXPECT_TRUE(contains(e->message, "\"b\"")) << e->message;
  // A required name outside properties keeps the separate check.
  auto w = compile_or_fail(R"({"properties":{"a":{}},"required":["a","z"]})");
  ASSERT_TRUE(w);
  EXPECT_FALSE(is_valid(*w, R"({"a":1})"));
  EXPECT_TRUE(is_valid(*w, R"({"a":1,"z":0})"));
  // Folding also holds under `not` (flag mode inside basic mode).
  auto n = compile_or_fail(R"({"not":{"properties":{"a":{}},"required":["a"]}})");
  ASSERT_TRUE(n);
  EXPECT_TRUE(is_valid(*n, R"({"b":1})"));
  EXPECT_FALSE(is_valid(*n, R"({"a":1})"));
}

TEST(FastPaths, in_place_subschemas_read_the_owners_member_memo) {
  // The conditional-required idiom: the `if`/`then` below read where "kind", "limit" and
  // "stop" are from the top node's properties pass instead of scanning the members again.
  auto v = compile_or_fail(R"({
    "type": "object",
    "properties": {"kind": {"enum": ["market", "limit", "stop"]}, "limit": {"type": "number"},
                   "stop": {"type": "number"}, "note": {}},
    "allOf": [
      {"if": {"properties": {"kind": {"const": "limit"}}}, "then": {"required": ["limit"]}},
      {"if": {"properties": {"kind": {"const": "stop"}}, "required": ["kind"]},
       "then": {"required": ["stop"], "properties": {"stop": {"minimum": 1}}}},
      {"anyOf": [{"required": ["note"]}, {"properties": {"kind": {"const": "market"}}}]}
    ]})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"kind":"market"})"));
  EXPECT_TRUE(is_valid(*v, R"({"kind":"limit","limit":5,"note":""})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"limit","note":""})"));
  EXPECT_TRUE(is_valid(*v, R"({"kind":"stop","stop":2,"note":""})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"stop","stop":0.5,"note":""})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"stop","note":""})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"limit","limit":5})"));  // anyOf: neither branch
  EXPECT_FALSE(is_valid(*v, R"({"note":"","limit":"x"})"));
  // No "kind": the first `if` holds vacuously, so "limit" is required.
  EXPECT_FALSE(is_valid(*v, R"({"note":"","other":1})"));
  EXPECT_TRUE(is_valid(*v, R"({"note":"","limit":1})"));
  EXPECT_FALSE(is_valid(*v, R"([])"));  // not an object: the memo is never built
  // A duplicate name: the memo is not used, and every member with the name is checked.
  // (Reading only the last "kind" would make the first `if` hold and require "limit".)
  EXPECT_TRUE(is_valid(*v, R"({"kind":"market","kind":"limit","note":""})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"stop","stop":2,"stop":0,"note":""})"));
  // A subschema shared (by $ref) between an owner and a different instance, and a memo
  // owner nested in another: each reads only its own object's memo.
  auto w = compile_or_fail(R"({
    "$defs": {"needsB": {"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}}},
    "properties": {"a": {}, "b": {},
                   "inner": {"properties": {"a": {}, "b": {}, "c": {}},
                             "allOf": [{"$ref": "#/$defs/needsB"}, {"required": ["c"]}]}},
    "allOf": [{"$ref": "#/$defs/needsB"}]})");
  ASSERT_TRUE(w);
  EXPECT_TRUE(is_valid(*w, R"({"a":1,"b":0,"inner":{"a":2,"c":0}})"));
  EXPECT_FALSE(is_valid(*w, R"({"a":1,"inner":{"a":2,"c":0}})"));
  EXPECT_FALSE(is_valid(*w, R"({"a":2,"inner":{"a":1,"c":0}})"));
  EXPECT_TRUE(is_valid(*w, R"({"a":2,"inner":{"a":1,"b":3,"c":0}})"));
  EXPECT_FALSE(is_valid(*w, R"({"a":2,"inner":{"a":1,"b":3}})"));
  EXPECT_TRUE(is_valid(*w, R"({"inner":{"c":0,"b":2},"b":1})"));
  EXPECT_FALSE(is_valid(*w, R"({"inner":{"c":0},"b":1})"));
  // A name written twice in the owner's `properties` (the parser keeps both): no memo, the
  // answers stay those of the member pass.
  auto twice =
      compile_or_fail(R"({"properties":{"a":{},"b":{},"a":{}},"allOf":[{"required":["a"]}]})");
  ASSERT_TRUE(twice);
  EXPECT_TRUE(is_valid(*twice, R"({"b":1,"a":1})"));
  EXPECT_FALSE(is_valid(*twice, R"({"b":1})"));
  auto twice_typed = compile_or_fail(
      R"({"properties":{"a":{},"b":{},"a":{}},"allOf":[{"properties":{"a":{"type":"string"}}}]})");
  ASSERT_TRUE(twice_typed);
  EXPECT_FALSE(is_valid(*twice_typed, R"({"b":1,"a":1})"));
  EXPECT_TRUE(is_valid(*twice_typed, R"({"b":1,"a":"x"})"));
  // A name listed twice in `required` is required once (memo, folded and plain checks alike).
  for (const char* schema :
       {R"({"properties":{"a":{}},"allOf":[{"required":["a","a"]}]})",
        R"({"properties":{"a":{}},"required":["a","a"]})", R"({"required":["a","b","a"]})"}) {
    auto r = compile_or_fail(schema);
    ASSERT_TRUE(r) << schema;
    EXPECT_TRUE(is_valid(*r, R"({"a":1,"b":2})")) << schema;
    EXPECT_FALSE(is_valid(*r, R"({"b":2})")) << schema;
  }
  // Memo owners nested 600 deep: past the memos' inline slots, each level's slots come from
  // the heap and go back in order.
  auto deep = compile_or_fail(
      R"({"properties":{"a":{"$ref":"#"},"b":{}},"allOf":[{"properties":{"b":{"type":"string"}}}]})");
  ASSERT_TRUE(deep);
  auto nested = [](const std::string& innermost) {
    std::string text;
    for (int i = 0; i < 600; ++i) text += R"({"b":"s","a":)";
    text += innermost;
    for (int i = 0; i < 600; ++i) text += "}";
    return text;
  };
  EXPECT_TRUE(is_valid(*deep, nested(R"({"b":"end"})")));
  EXPECT_FALSE(is_valid(*deep, nested(R"({"b":1})")));
  // The memo's `properties` is evaluated first even when written after the applicators.
  auto order = compile_or_fail(
      R"({"allOf":[{"required":["x"]}],"properties":{"x":{"type":"string"}},"type":"object"})");
  ASSERT_TRUE(order);
  EXPECT_TRUE(is_valid(*order, R"({"x":"s"})"));
  EXPECT_FALSE(is_valid(*order, R"({"x":1})"));
  EXPECT_FALSE(is_valid(*order, R"({"y":"s"})"));
}

TEST(FastPaths, all_of_subschemas_run_in_the_parents_keyword_list) {
  // Flag mode runs an allOf's subschemas' keywords as the parent's own (nested allOfs too),
  // unless a subschema restricts the type, is `false`, or collects annotations.
  auto v = compile_or_fail(R"({
    "properties": {"kind": {}, "n": {}},
    "allOf": [
      true,
      {"allOf": [{"required": ["kind"]}, {"properties": {"n": {"minimum": 0}}}]},
      {"if": {"properties": {"kind": {"const": "big"}}}, "then": {"properties": {"n": {"minimum": 100}}}}
    ]})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(is_valid(*v, R"({"kind":"small","n":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"n":1})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"small","n":-1})"));
  EXPECT_FALSE(is_valid(*v, R"({"kind":"big","n":1})"));
  EXPECT_TRUE(is_valid(*v, R"({"kind":"big","n":100})"));
  EXPECT_TRUE(is_valid(*v, R"(7)"));
  // A subschema with a type keeps the allOf: the type still applies.
  auto typed = compile_or_fail(R"({"allOf": [{"type": "string"}, {"minLength": 2}]})");
  ASSERT_TRUE(typed);
  EXPECT_FALSE(is_valid(*typed, R"(12)"));
  EXPECT_FALSE(is_valid(*typed, R"("a")"));
  EXPECT_TRUE(is_valid(*typed, R"("ab")"));
  // `false` among the subschemas: nothing is valid.
  auto never = compile_or_fail(R"({"allOf": [{"minimum": 1}, false]})");
  ASSERT_TRUE(never);
  EXPECT_FALSE(is_valid(*never, R"(5)"));
  // Below a node with unevaluatedProperties, nested subschemas' properties still count as
  // evaluated; a subschema that collects annotations itself stays a subschema.
  auto uneval = compile_or_fail(
      R"({"allOf": [{"allOf": [{"properties": {"a": {}}}]}], "unevaluatedProperties": false})");
  ASSERT_TRUE(uneval);
  EXPECT_TRUE(is_valid(*uneval, R"({"a":"x"})"));
  EXPECT_FALSE(is_valid(*uneval, R"({"a":"x","c":1})"));
  auto tracking = compile_or_fail(
      R"({"properties": {"x": {}},
          "allOf": [{"properties": {"b": {}}, "unevaluatedProperties": false}]})");
  ASSERT_TRUE(tracking);
  EXPECT_TRUE(is_valid(*tracking, R"({"b":1})"));
  EXPECT_FALSE(is_valid(*tracking, R"({"b":1,"x":1})"));
  // An `if` of one keyword runs that keyword directly; recursion through it (here a $ref
  // in the `if`, 1,000 levels down) still passes through the evaluator at every level.
  auto cond = compile_or_fail(R"({
    "if": {"properties": {"next": {"$ref": "#"}}},
    "then": {"required": ["ok"]},
    "else": {"required": ["bad"]}})");
  ASSERT_TRUE(cond);
  EXPECT_TRUE(is_valid(*cond, R"({"ok":1})"));
  EXPECT_FALSE(is_valid(*cond, R"({"next":{}})"));  // `if` fails: "bad" is required
  EXPECT_TRUE(is_valid(*cond, R"({"next":{"ok":1},"ok":1})"));
  std::string chain;
  for (int i = 0; i < 1000; ++i) chain += R"({"ok":1,"next":)";
  EXPECT_TRUE(is_valid(*cond, chain + R"({"ok":1})" + std::string(1000, '}')));
  EXPECT_FALSE(is_valid(*cond, chain + R"({"next":5})" + std::string(1000, '}')));
}

TEST(FastPaths, string_enums_look_names_up_exactly) {
  auto v = compile_or_fail(
      R"({"enum":["day","gtc","ioc","fok","good-till-date-and-time-x","a\u00e9","", "day"]})");
  ASSERT_TRUE(v);
  for (const char* ok :
       {R"("day")", R"("fok")", R"("good-till-date-and-time-x")", R"("aé")", R"("")"}) {
    EXPECT_TRUE(is_valid(*v, ok)) << ok;
  }
  for (const char* bad :
       {R"("da")", R"("dayy")", R"("good-till-date-and-time-y")", R"("good-till-date-and-time-")",
        R"("a")", R"(1)", R"(null)", R"(["day"])"}) {
    EXPECT_FALSE(is_valid(*v, bad)) << bad;
  }
}

}  // namespace
}  // namespace hotpath::schema
