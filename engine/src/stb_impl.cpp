// The one translation unit that compiles stb_image and stb_image_write.
// Only in-memory I/O is used; both allocate through malloc so the engine can adopt buffers.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STBI_NO_PIC  // Softimage PIC: obscure, and no signature to sniff
// Through the engine's allocation door (allocation_failure.h), so the allocation-failure
// hook reaches decoding and encoding too; what stb returns is still freed with free().
// stb_image checks every allocation ("outofmem"). stb_image_write does not (its zlib
// writer's stretchy buffers write through a null realloc: a segfault natively, silent
// corruption of low memory in wasm), so its allocator throws std::bad_alloc instead, which
// unwinds to the caller (the bindings answer out_of_memory). What stb_image_write held
// at that moment leaks: tens of KB, only on that path.
#include <cstdlib>
#include <new>

#include "defocus/allocation_failure.h"

namespace {
void* writerMalloc(size_t size) {
  void* p = defocus::detail::checkedMalloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}
void* writerRealloc(void* pointer, size_t size) {
  void* p = defocus::detail::checkedRealloc(pointer, size);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

#define STBI_MALLOC(size) defocus::detail::checkedMalloc(size)
#define STBI_REALLOC(pointer, size) defocus::detail::checkedRealloc(pointer, size)
#define STBI_FREE(pointer) std::free(pointer)
#define STBIW_MALLOC(size) writerMalloc(size)
#define STBIW_REALLOC(pointer, size) writerRealloc(pointer, size)
#define STBIW_FREE(pointer) std::free(pointer)
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
#include <stb_image.h>
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
