// HeraldDiscover: work in progress (see README, Architecture).
