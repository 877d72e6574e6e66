#pragma once
// Linux: the owners of a file descriptor and of an open directory stream, so that no return path leaks
// one (the agent runs for months as root).

#include <dirent.h>
#include <unistd.h>

#include <memory>

namespace rdpmend::linux_platform {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct DirCloser {
  void operator()(DIR* dir) const noexcept {
    if (dir) ::closedir(dir);
  }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

}  // namespace rdpmend::linux_platform
