#include "common/result.h"

namespace rdpmend {

std::string Error::message() const {
  std::string text = what;
  if (!object.empty()) text += " '" + object + "'";
  if (!detail.empty()) text += ": " + detail;
  return text;
}

}  // namespace rdpmend
