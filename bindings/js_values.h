// The shared plumbing of every binding file: JS values to engine types and back, and
// answer(), the one wrapper that turns a failed allocation below into code out_of_memory.
// Kept in one place so the topic files (codec, matte, render, session, photo, runtime)
// convert and answer the same way.
#pragma once

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <type_traits>
#include <utility>

#include "defocus/allocation_failure.h"
#include "defocus/buffer.h"
#include "defocus/image.h"
#include "defocus/status.h"

namespace defocus_js {

using emscripten::val;

// Copies a JS typed array into a wasm-side buffer with one TypedArray.set (no per-element JS).
template <typename T>
bool copyIn(const val& array, defocus::Buffer<T>& out) {
  if (!out.resize(array["length"].as<size_t>())) return false;
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return true;
}

// A JS-owned copy of wasm-side memory, so results survive later heap growth.
template <typename T>
val copyOut(const T* data, size_t count) {
  return val(emscripten::typed_memory_view(count, data)).call<val>("slice");
}

// {error, code}: how a failed Status reaches JavaScript.
val failure(const defocus::Status& status);

// RGBA pixels from JS straight into an engine image (one copy), checking the size.
defocus::Result<defocus::ImageRGBA8> imageFromJs(const val& rgba, int width, int height);

// The one wrapper every exported call goes through. Both wasm builds have exceptions
// (wasm ones; JavaScript ones in the threaded build), so an allocation that fails below
// (std::bad_alloc from operator new, or std::length_error: a container over wasm32's 2 GB
// size limit) unwinds to here, freeing what the call held, and becomes an answer; the
// instance serves the next call.
// `call` returns val ({error, code} or the result) or a Status.
template <typename Call>
auto answer(Call&& call) -> decltype(call()) {
  using Answer = decltype(call());
  static_assert(std::is_same_v<Answer, val> || std::is_same_v<Answer, defocus::Status>);
  constexpr const char* kHeapFull = "out of memory: the engine's WebAssembly heap is full (4 GB at most)";
  constexpr const char* kTooBig = "out of memory: a buffer would exceed what 32-bit WebAssembly can address";
  if constexpr (std::is_same_v<Answer, val>) {
    val result = val::undefined();
    const defocus::Status status = defocus::catchingAllocationFailure([&] {
      result = call();
      return defocus::Status::success();
    }, kHeapFull, kTooBig);
    return status.ok() ? result : failure(status);
  } else {
    return defocus::catchingAllocationFailure(call, kHeapFull, kTooBig);
  }
}

// A free function as Embind exports it: the same arguments, answered through answer().
template <auto Fn>
struct Exported;
template <typename... Args, val (*Fn)(Args...)>
struct Exported<Fn> {
  static val call(Args... args) {
    return answer([&] { return Fn(std::forward<Args>(args)...); });
  }
};
template <auto Fn>
constexpr auto exported = &Exported<Fn>::call;

val outOfMemoryCopying();

// {width, height, data}: how images and planes go back to JavaScript.
val sizedValue(int width, int height, const val& data);
val imageValue(const defocus::ImageRGBA8& image);

// An optional argument that was given (neither null nor undefined).
bool present(const val& v);

// A one-plane float image to {width, height, data: Float32Array} and back.
val planeValue(const defocus::ImagePlanar& plane);
defocus::Result<defocus::ImagePlanar> planeFromJs(const val& plane, const char* what);

}  // namespace defocus_js
