// The one translation unit that compiles stb_image and stb_image_write.
// Only in-memory I/O is used; both allocate through malloc so the engine can adopt buffers.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STBI_NO_PIC  // Softimage PIC: obscure, and no signature to sniff
// Through the engine's allocation door (allocation_failure.h), so the allocation-failure
// hook reaches decoding and encoding too; what stb_image returns is freed with free().
// stb_image checks every allocation ("outofmem"). stb_image_write does not (its zlib
// writer's stretchy buffers write through a null realloc: a segfault natively, silent
// corruption of low memory in wasm), so its allocator throws std::bad_alloc instead, which
// unwinds to the caller (the bindings answer out_of_memory). Before throwing it frees every
// block the writer still holds (stb never touches them again once unwound): each block
// carries a small header linking it into a list of live writer blocks.
#include <cstddef>
#include <cstdlib>
#include <new>

#include "defocus/allocation_failure.h"

namespace {

struct alignas(std::max_align_t) WriterBlock {
  WriterBlock* prev;
  WriterBlock* next;
};
thread_local WriterBlock* liveWriterBlocks = nullptr;  // one list per thread: writes on other threads are theirs

void link(WriterBlock* b) {
  b->prev = nullptr;
  b->next = liveWriterBlocks;
  if (liveWriterBlocks) liveWriterBlocks->prev = b;
  liveWriterBlocks = b;
}

void unlink(WriterBlock* b) {
  (b->prev ? b->prev->next : liveWriterBlocks) = b->next;
  if (b->next) b->next->prev = b->prev;
}

[[noreturn]] void abandonWrite() {
  while (liveWriterBlocks) {
    WriterBlock* b = liveWriterBlocks;
    unlink(b);
    std::free(b);
  }
  throw std::bad_alloc();
}

void* writerMalloc(size_t size) {
  auto* b = static_cast<WriterBlock*>(defocus::detail::checkedMalloc(sizeof(WriterBlock) + size));
  if (!b) abandonWrite();
  link(b);
  return b + 1;
}

void* writerRealloc(void* pointer, size_t size) {
  if (!pointer) return writerMalloc(size);
  WriterBlock* old = static_cast<WriterBlock*>(pointer) - 1;
  unlink(old);
  auto* b = static_cast<WriterBlock*>(defocus::detail::checkedRealloc(old, sizeof(WriterBlock) + size));
  if (!b) {
    link(old);  // still ours: freed with the rest
    abandonWrite();
  }
  link(b);
  return b + 1;
}

void writerFree(void* pointer) {
  if (!pointer) return;
  WriterBlock* b = static_cast<WriterBlock*>(pointer) - 1;
  unlink(b);
  std::free(b);
}

}  // namespace

#define STBI_MALLOC(size) defocus::detail::checkedMalloc(size)
#define STBI_REALLOC(pointer, size) defocus::detail::checkedRealloc(pointer, size)
#define STBI_FREE(pointer) std::free(pointer)
#define STBIW_MALLOC(size) writerMalloc(size)
#define STBIW_REALLOC(pointer, size) writerRealloc(pointer, size)
#define STBIW_FREE(pointer) writerFree(pointer)
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

namespace defocus::detail {

// stb_image_write's zlib stream, for the engine's own PNG writer (png_in_place.cpp); the
// block is the writer's, so it is freed here.
unsigned char* zlibCompress(const unsigned char* data, int size, int* outSize, int level) {
  return stbi_zlib_compress(const_cast<unsigned char*>(data), size, outSize, level);
}
void freeZlib(unsigned char* stream) { writerFree(stream); }

}  // namespace defocus::detail
