// Benchmarks for colead::ot on a realistic shared purpose: a 2,000-character document in
// mixed scripts (Latin with accents, CJK, Arabic, Hebrew, emoji with skin tones).
//
//   BM_TransformApply     two concurrent edits: transform the pair, then apply both sides
//   BM_Apply              one edit applied to the document
//   BM_ServerReceive/N    server::receive of an edit made N revisions ago, so it is
//                         transformed over N concurrent edits before it is applied
//
// Every edit replaces one character, so the document keeps its length.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ot/server.hpp"
#include "ot/text_operation.hpp"
#include "ot/utf8.hpp"

namespace colead::ot {
namespace {

constexpr std::size_t document_length = 2000;

std::string mixed_document() {
  const std::string sentence =
      "Our shared purpose: caf\u00e9 together \u5171\u540c\u76ee\u6807 "
      "\u0645\u0631\u062d\u0628\u0627 "
      "\u05e9\u05dc\u05d5\u05dd \U0001F44D\U0001F3FD \U0001F91D. ";
  std::string text;
  while (utf8::count_code_points(text) < document_length)
    text += sentence;
  return text.substr(0, utf8::byte_offset(text, document_length));
}

// Replaces the character at `at` with `text` (one code point).
text_operation replace_at(std::size_t at, std::string_view text) {
  text_operation op;
  op.retain(at).insert(text).remove(1).retain(document_length - at - 1);
  return op;
}

// Edits replacing characters in [from, from + span).
std::vector<text_operation> random_edits(std::size_t count, std::uint64_t seed,
                                         std::size_t from = 0, std::size_t span = document_length) {
  std::mt19937_64 rng(seed);
  const std::string letters[] = {"a", "\u00e9", "\u5171", "\u05e9", "\U0001F600"};
  std::vector<text_operation> edits;
  for (std::size_t k = 0; k < count; ++k) {
    edits.push_back(replace_at(from + rng() % span, letters[rng() % 5]));
  }
  return edits;
}

void BM_TransformApply(benchmark::State& state) {
  const std::string doc = mixed_document();
  const auto left = random_edits(256, 1);
  const auto right = random_edits(256, 2);
  std::size_t k = 0;
  for (auto _ : state) {
    const text_operation& a = left[k % left.size()];
    const text_operation& b = right[k % right.size()];
    auto pair = transform(a, b, applied_first::b);
    auto via_a = pair->second.apply(*a.apply(doc));
    auto via_b = pair->first.apply(*b.apply(doc));
    benchmark::DoNotOptimize(via_a);
    benchmark::DoNotOptimize(via_b);
    ++k;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_TransformApply);

void BM_Apply(benchmark::State& state) {
  const std::string doc = mixed_document();
  const auto edits = random_edits(256, 3);
  std::size_t k = 0;
  for (auto _ : state) {
    auto out = edits[k++ % edits.size()].apply(doc);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(BM_Apply);

void BM_ServerReceive(benchmark::State& state) {
  const auto concurrent = static_cast<std::uint64_t>(state.range(0));
  auto loaded = server::load({0, mixed_document(), {}}, {});
  if (!loaded.is_ok()) {
    state.SkipWithError(loaded.error().to_string().c_str());
    return;
  }
  server s = std::move(loaded).value();
  // The member replaces characters of the second half in turn while the others edited the
  // first, so edits within any window of `concurrent` revisions never replace the same
  // character, and every revision keeps the length the edits were built for.
  std::vector<text_operation> edits;
  for (std::size_t k = 0; k < document_length / 2; ++k) {
    edits.push_back(replace_at(document_length / 2 + k, k % 2 ? "\u00e9" : "\u05e9"));
  }
  const auto others = random_edits(concurrent, 5, 0, document_length / 2);
  // Edits by the other members, so every receive has `concurrent` edits to transform over.
  for (std::uint64_t k = 0; k < concurrent; ++k) {
    (void)s.receive(s.revision(), others[k % others.size()], "", "other", 0);
  }
  std::uint64_t k = 0;
  for (auto _ : state) {
    auto got = s.receive(s.revision() - concurrent, edits[k % edits.size()],
                         "edit-" + std::to_string(k), "member", static_cast<std::int64_t>(k));
    if (!got.is_ok()) {
      state.SkipWithError(got.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(got);
    ++k;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ServerReceive)->Arg(1)->Arg(100);

}  // namespace
}  // namespace colead::ot
