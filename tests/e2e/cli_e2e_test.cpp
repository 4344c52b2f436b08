// End-to-end tests of `hotpath` itself: commands, usage errors, schema errors, --ref-map,
// dialects, output formats and exit codes, all asserted on exact stdout/stderr.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hotpath_process.h"

namespace hotpath::e2e {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kValid = "{\"valid\":true}\n";
constexpr const char* kInvalidFlag = "{\"valid\":false}\n";

std::string line_count(const std::string& s) {
  return std::to_string(std::count(s.begin(), s.end(), '\n'));
}

class CliTest : public ::testing::Test {
 protected:
  TempDir dir;
};

// --- commands and usage ---------------------------------------------------------------------

TEST_F(CliTest, prints_version) {
  auto r = run_hotpath({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "hotpath " HOTPATH_VERSION "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, help_shows_the_validate_synopsis) {
  auto r = run_hotpath({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("hotpath validate --schema S.json [--ref-map PREFIX=DIR]... "
                               "[--default-dialect D] [--formats]"));
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, validate_help_documents_every_option_and_exit_code) {
  auto r = run_hotpath({"validate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s :
       {"--schema S.json", "--ref-map PREFIX=DIR", "--default-dialect D", "--formats",
        "--output flag|basic", "--ndjson", "--threads N", "--max-document-bytes N",
        "0  every document is valid", "1  at least one document is invalid", "2  usage error"}) {
    EXPECT_THAT(r.out, HasSubstr(s));
  }
}

TEST_F(CliTest, no_command_is_a_usage_error) {
  auto r = run_hotpath(std::vector<std::string>{});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "hotpath: missing command\nTry 'hotpath --help' for more information.\n");
}

TEST_F(CliTest, unknown_command_is_a_usage_error) {
  auto r = run_hotpath({"valdate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hotpath: unknown command 'valdate'\nTry 'hotpath --help' for more information.\n");
}

TEST_F(CliTest, schema_option_is_required) {
  auto r = run_hotpath({"validate", "doc.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "hotpath: --schema is required\nTry 'hotpath validate --help' for more information.\n");
}

TEST_F(CliTest, usage_errors_name_the_offending_argument) {
  std::string s = dir.write("s.json", "{}");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"validate", "--schema", s, "--bogus"}, "unknown option '--bogus'"},
      {{"validate", "--schema"}, "--schema needs a value"},
      {{"validate", "--schema", s, "--schema", s}, "--schema given more than once"},
      {{"validate", "--schema", s, "--threads", "0"},
       "--threads expects an integer from 1 to 1024, got '0'"},
      {{"validate", "--schema", s, "--threads=abc"},
       "--threads expects an integer from 1 to 1024, got 'abc'"},
      {{"validate", "--schema", s, "--output", "detailed"},
       "unknown output format 'detailed' (expected flag or basic)"},
      {{"validate", "--schema", s, "--ndjson=yes"}, "--ndjson does not take a value"},
      {{"validate", "--schema", s, "--ref-map", "nodir"},
       "--ref-map expects PREFIX=DIR, got 'nodir'"},
      {{"validate", "--schema", s, "--ref-map", "http://x/=" + dir.path() + "/missing"},
       "--ref-map http://x/=" + dir.path() + "/missing: not a directory"},
      {{"validate", "--schema", s, "--max-document-bytes", "12Q"},
       "--max-document-bytes expects a positive size such as 1048576, 64K, 256M or 1G, got '12Q'"},
      {{"validate", "--schema", s, "-", "-"}, "standard input ('-') can only be given once"},
  };
  for (const auto& c : cases) {
    auto r = run_hotpath(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_EQ(r.out, "") << c.message;
    EXPECT_EQ(r.err,
              "hotpath: " + c.message + "\nTry 'hotpath validate --help' for more information.\n");
  }
}

TEST_F(CliTest, unknown_dialect_is_a_usage_error) {
  std::string s = dir.write("s.json", "{}");
  auto r = run_hotpath({"validate", "--schema", s, "--default-dialect", "draft5"}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "hotpath: unknown dialect 'draft5' (expected draft4, draft6, draft7, draft2019-09, "
            "draft2020-12 or a "
            "metaschema URI)\nTry 'hotpath validate --help' for more information.\n");
}

TEST_F(CliTest,
       default_dialect_by_name_or_metaschema_uri_applies_to_schemas_without_dollar_schema) {
  // Up to draft-07, keywords beside "$ref" are ignored; from 2019-09 on they apply.
  std::string s = dir.write(
      "s.json", R"({"$defs":{"int":{"type":"integer"}},"$ref":"#/$defs/int","minimum":10})");
  std::string doc = "5";
  for (std::string d :
       {"", "draft2020-12", "draft2019-09", "https://json-schema.org/draft/2020-12/schema"}) {
    std::vector<std::string> args = {"validate", "--schema", s, "--output", "flag"};
    if (!d.empty()) args.insert(args.end(), {"--default-dialect", d});
    auto r = run_hotpath(args, doc);
    EXPECT_EQ(r.exit_code, 1) << d << " " << r.err;
    EXPECT_EQ(r.out, kInvalidFlag) << d;
  }
  for (std::string d : {"draft4", "draft6", "draft7", "http://json-schema.org/draft-07/schema#",
                        "http://json-schema.org/draft-04/schema"}) {
    auto r = run_hotpath({"validate", "--schema", s, "--default-dialect", d}, doc);
    EXPECT_EQ(r.exit_code, 0) << d << " " << r.err;
    EXPECT_EQ(r.out, kValid) << d;
  }
  // $schema in the schema wins over the default.
  std::string s2020 = dir.write(
      "s2020.json",
      R"({"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"int":{"type":"integer"}},"$ref":"#/$defs/int","minimum":10})");
  EXPECT_EQ(
      run_hotpath(
          {"validate", "--schema", s2020, "--output", "flag", "--default-dialect", "draft7"}, doc)
          .out,
      kInvalidFlag);
}

// --- documents, outputs and exit codes -----------------------------------------------------

TEST_F(CliTest, valid_document_prints_the_valid_unit_and_exits_0) {
  std::string s = dir.write("s.json", R"({"type":"object","required":["id"]})");
  std::string d = dir.write("d.json", R"({"id": 1})");
  auto r = run_hotpath({"validate", "--schema", s, d});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, kValid);
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, invalid_document_prints_basic_errors_with_locations_and_exits_1) {
  std::string s = dir.write("s.json", R"({"$id":"https://example.com/price.json",
    "type":"object","properties":{"price":{"type":"number","multipleOf":0.01}}})");
  auto r = run_hotpath({"validate", "--schema", s}, R"({"price":19.999})");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(
      r.out,
      StartsWith(
          R"({"valid":false,"errors":[{"keywordLocation":"/properties/price/multipleOf",)"
          R"("absoluteKeywordLocation":"https://example.com/price.json#/properties/price/multipleOf",)"
          R"("instanceLocation":"/price","error":")"));
  EXPECT_THAT(r.out, EndsWith("\"}]}\n"));
  EXPECT_EQ(line_count(r.out), "1");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, decimal_multiple_of_is_exact) {
  std::string s = dir.write("s.json", R"({"multipleOf":0.01})");
  EXPECT_EQ(run_hotpath({"validate", "--schema", s}, "19.99").out, kValid);
  EXPECT_EQ(run_hotpath({"validate", "--schema", s}, "0.07").out, kValid);
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "--output", "flag"}, "19.999").out,
            kInvalidFlag);
}

TEST_F(CliTest, flag_output_carries_no_errors) {
  std::string s = dir.write("s.json", R"({"type":"string"})");
  auto r = run_hotpath({"validate", "--schema", s, "--output", "flag"}, "42");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, kInvalidFlag);
  auto basic = run_hotpath({"validate", "--schema", s, "--output=basic"}, "42");
  EXPECT_EQ(basic.exit_code, 1);
  EXPECT_THAT(basic.out, StartsWith(R"({"valid":false,"errors":[{"keywordLocation":"/type",)"));
}

TEST_F(CliTest, several_files_print_one_line_each_in_argument_order) {
  std::string s = dir.write("s.json", R"({"type":"integer"})");
  std::string a = dir.write("a.json", "1");
  std::string b = dir.write("b.json", "\"two\"");
  std::string c = dir.write("c.json", "3\n");
  auto r = run_hotpath({"validate", "--schema", s, "--output", "flag", a, b, c});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kValid) + kInvalidFlag + kValid);
  auto all_valid = run_hotpath({"validate", "--schema", s, a, c, "-"}, "4");
  EXPECT_EQ(all_valid.exit_code, 0);
  EXPECT_EQ(all_valid.out, std::string(kValid) + kValid + kValid);
}

TEST_F(CliTest, reads_stdin_without_file_or_with_dash) {
  std::string s = dir.write("s.json", R"({"type":"array"})");
  EXPECT_EQ(run_hotpath({"validate", "--schema", s}, "[1,2]").out, kValid);
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "-"}, "[]").out, kValid);
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "--", "-"}, "[]").out, kValid);
}

TEST_F(CliTest, formats_are_annotations_unless_asked_to_assert) {
  std::string s = dir.write("s.json", R"({"type":"string","format":"email"})");
  EXPECT_EQ(run_hotpath({"validate", "--schema", s}, "\"not an email\"").out, kValid);
  auto r = run_hotpath({"validate", "--schema", s, "--formats"}, "\"not an email\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(R"({"valid":false,"errors":[{"keywordLocation":"/format",)"));
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "--formats"}, "\"ada@example.com\"").out,
            kValid);
}

TEST_F(CliTest, missing_input_file_fails_before_any_output) {
  std::string s = dir.write("s.json", "{}");
  std::string a = dir.write("a.json", "1");
  std::string missing = dir.path() + "/missing.json";
  auto r = run_hotpath({"validate", "--schema", s, a, missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "hotpath: cannot open '" + missing + "': No such file or directory\n");
}

TEST_F(CliTest, directory_as_input_is_an_io_error) {
  std::string s = dir.write("s.json", "{}");
  auto r = run_hotpath({"validate", "--schema", s, dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hotpath: cannot read '" + dir.path() + "': Is a directory\n");
}

TEST_F(CliTest, oversized_document_is_refused_with_exit_2) {
  std::string s = dir.write("s.json", "{}");
  std::string big = "\"" + std::string(2046, 'x') + "\"";
  std::string f = dir.write("big.json", big);
  auto r = run_hotpath({"validate", "--schema", s, "--max-document-bytes", "1K", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "hotpath: " + f +
                       ": document is 2048 bytes, larger than --max-document-bytes 1024 (1 KiB) "
                       "(use --ndjson for "
                       "record streams, or raise the limit)\n");
  auto piped = run_hotpath({"validate", "--schema", s, "--max-document-bytes=1000"}, big);
  EXPECT_EQ(piped.exit_code, 2);
  EXPECT_EQ(piped.err,
            "hotpath: <stdin>: document is more than 1000 bytes, larger than --max-document-bytes "
            "1000 (use "
            "--ndjson for record streams, or raise the limit)\n");
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "--max-document-bytes", "2048", f}).out,
            kValid);
}

// --- schema errors -----------------------------------------------------------------------------

TEST_F(CliTest, missing_schema_file_is_an_io_error) {
  std::string missing = dir.path() + "/nope.json";
  auto r = run_hotpath({"validate", "--schema", missing}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "hotpath: cannot read schema: cannot open '" + missing +
                       "': No such file or directory\n");
}

TEST_F(CliTest, schema_that_is_not_json_is_a_schema_error) {
  std::string s = dir.write("s.json", "{\"type\": }");
  auto r = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
}

TEST_F(CliTest, unknown_type_name_is_a_schema_error_with_its_location) {
  std::string s = dir.write("s.json", R"({"properties":{"name":{"type":"strnig"}}})");
  auto r = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
  EXPECT_THAT(r.err, HasSubstr("#/properties/name/type: "));
  EXPECT_THAT(r.err, HasSubstr("strnig"));
  EXPECT_THAT(r.err, EndsWith("\n"));
  EXPECT_EQ(line_count(r.err), "1");
}

TEST_F(CliTest, negative_min_length_is_a_schema_error_with_its_location) {
  std::string s = dir.write("s.json", R"({"type":"string","minLength":-1})");
  auto r = run_hotpath({"validate", "--schema", s}, "\"a\"");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
  EXPECT_THAT(r.err, HasSubstr("#/minLength: "));
}

TEST_F(CliTest, unresolvable_ref_names_the_reference_and_where_it_is) {
  std::string s =
      dir.write("s.json", R"({"properties":{"a":{"$ref":"https://nowhere.example/x.json"}}})");
  auto r = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
  EXPECT_THAT(r.err, HasSubstr("https://nowhere.example/x.json"));
  EXPECT_THAT(r.err, HasSubstr("#/properties/a/$ref: "));
}

TEST_F(CliTest, unresolvable_local_pointer_names_the_reference) {
  std::string s = dir.write("s.json", R"({"$ref":"#/$defs/missing"})");
  auto r = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
  EXPECT_THAT(r.err, HasSubstr("#/$defs/missing"));
  EXPECT_THAT(r.err, HasSubstr("#/$ref: "));
}

TEST_F(CliTest, ref_cycle_without_progress_is_a_schema_error_not_a_hang) {
  std::string s = dir.write(
      "s.json",
      R"({"$ref":"#/$defs/a","$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}}})");
  auto r = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
  EXPECT_EQ(r.term_signal, 0);
}

TEST_F(CliTest, self_ref_without_progress_is_a_schema_error_not_a_hang) {
  std::string s = dir.write(
      "s.json",
      R"({"$defs":{"loop":{"$ref":"#/$defs/loop"}},"properties":{"x":{"$ref":"#/$defs/loop"}}})");
  auto r = run_hotpath({"validate", "--schema", s}, R"({"x":1})");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_THAT(r.err, StartsWith("hotpath: schema error: "));
}

std::string ref_chain_schema(int hops, const std::string& last) {
  std::string s = R"({"$ref":"#/$defs/d0","$defs":{)";
  for (int i = 0; i < hops; ++i) {
    s += "\"d" + std::to_string(i) + "\":";
    s += i + 1 < hops ? R"({"$ref":"#/$defs/d)" + std::to_string(i + 1) + "\"}" : last;
    s += i + 1 < hops ? "," : "";
  }
  return s + "}}";
}

TEST_F(CliTest, schema_reaching_its_target_through_1000_ref_hops_works) {
  std::string s = dir.write("s.json", ref_chain_schema(1000, R"({"type":"integer"})"));
  auto ok = run_hotpath({"validate", "--schema", s}, "7");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, kValid);
  auto bad = run_hotpath({"validate", "--schema", s, "--output", "flag"}, "\"7\"");
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_EQ(bad.out, kInvalidFlag);
}

TEST_F(CliTest, schema_referencing_itself_through_1000_hops_validates_nested_instances) {
  // d999 refers back to the root: each round trip of 1,000 hops descends one level.
  std::string s = dir.write(
      "s.json",
      ref_chain_schema(
          1000,
          R"({"type":"object","required":["v"],"properties":{"v":{"type":"integer"},"next":{"$ref":"#"}}})"));
  std::string nested = R"({"v":1,"next":{"v":2,"next":{"v":3}}})";
  auto ok = run_hotpath({"validate", "--schema", s}, nested);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, kValid);
  auto bad = run_hotpath({"validate", "--schema", s}, R"({"v":1,"next":{"v":2,"next":{"v":"3"}}})");
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_THAT(bad.out, HasSubstr(R"("instanceLocation":"/next/next/v")"));
}

TEST_F(CliTest, recursive_schema_validates_an_instance_500_levels_deep) {
  std::string s = dir.write(
      "s.json",
      R"({"type":"object","properties":{"child":{"$ref":"#"},"leaf":{"type":"integer"}}})");
  std::string doc, close;
  for (int i = 0; i < 500; ++i) {
    doc += "{\"child\":";
    close += "}";
  }
  doc += R"({"leaf":"x"})" + close;
  auto r = run_hotpath({"validate", "--schema", s}, doc);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::string where;
  for (int i = 0; i < 500; ++i) where += "/child";
  EXPECT_THAT(r.out, HasSubstr("\"instanceLocation\":\"" + where + "/leaf\""));
}

// --- --ref-map -----------------------------------------------------------------------------------

TEST_F(CliTest, ref_map_resolves_remote_refs_from_a_local_directory) {
  dir.write("remote/money.json", R"({"type":"number","minimum":0,"multipleOf":0.01})");
  dir.write("remote/nested/ccy.json", R"({"enum":["USD","EUR"]})");
  std::string s = dir.write("s.json", R"({"type":"object","properties":{
      "price":{"$ref":"http://localhost:1234/money.json"},
      "currency":{"$ref":"http://localhost:1234/nested/ccy.json"}}})");
  std::string map = "http://localhost:1234/=" + dir.path() + "/remote";
  EXPECT_EQ(run_hotpath({"validate", "--schema", s, "--ref-map", map},
                        R"({"price":1.5,"currency":"EUR"})")
                .out,
            kValid);
  auto bad = run_hotpath({"validate", "--schema", s, "--ref-map=" + map},
                         R"({"price":1.555,"currency":"GBP"})");
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_THAT(bad.out, HasSubstr(R"("instanceLocation":"/price")"));
  EXPECT_THAT(bad.out, HasSubstr(R"("instanceLocation":"/currency")"));
  EXPECT_THAT(
      bad.out,
      HasSubstr(R"("absoluteKeywordLocation":"http://localhost:1234/money.json#/multipleOf")"));

  // Without the map nothing is fetched: the reference is a schema error.
  auto unmapped = run_hotpath({"validate", "--schema", s}, "{}");
  EXPECT_EQ(unmapped.exit_code, 2);
  EXPECT_THAT(unmapped.err, StartsWith("hotpath: schema error: "));
  EXPECT_THAT(unmapped.err, HasSubstr("http://localhost:1234/"));
}

TEST_F(CliTest, relative_ref_to_a_sibling_schema_file_resolves) {
  dir.write("common.json", R"({"$defs":{"id":{"type":"string","minLength":3}}})");
  std::string s = dir.write("s.json", R"({"properties":{"id":{"$ref":"common.json#/$defs/id"}}})");
  auto r = run_hotpath({"validate", "--schema", s}, R"({"id":"ab"})");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("instanceLocation":"/id")"));
}

}  // namespace
}  // namespace hotpath::e2e
