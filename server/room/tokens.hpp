// Invite tokens and organiser keys: random, stored only as SHA-256 hashes, compared in
// constant time. Thread-safe (OpenSSL's RAND_bytes and SHA-256 keep no shared state we touch).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace colead::room {

using token_hash = std::array<std::uint8_t, 32>;

// A new token: `bytes` random bytes from RAND_bytes (16 by default, 128 bits) written as
// URL-safe base64 without padding (22 characters for 16 bytes).
std::string make_token(std::size_t bytes = 16);

// SHA-256 of the token's characters.
token_hash hash_token(std::string_view token);

// True when the two hashes are equal, in time independent of where they differ.
bool same_hash(const token_hash& a, const token_hash& b);

// A new random identifier of `length` characters from [a-z0-9], for rooms, documents and
// notes. Identifiers are not secrets; they only need to be unique and path-safe.
std::string make_id(std::size_t length = 12);

// True when `id` is a safe identifier: 1 to 64 characters of [A-Za-z0-9_-]. Every id from a
// client is checked with this before it touches a path, a query or a log line.
bool is_valid_id(std::string_view id);

// Hex form of a hash, for storage in text files.
std::string to_hex(const token_hash& h);

}  // namespace colead::room
