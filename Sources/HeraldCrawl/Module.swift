// HeraldCrawl: work in progress (see README, Architecture).
