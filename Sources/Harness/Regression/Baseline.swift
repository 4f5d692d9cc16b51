import Foundation
import RunContract
